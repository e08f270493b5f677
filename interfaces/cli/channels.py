"""Channel commands: `mcu poll`, `mcu replies`, `mcu import-pos FILE`."""

import signal
import threading
from collections import Counter
from pathlib import Path

import click

from adapters.gosuslugi.export import ExportError, read_export
from domain.errors import DomainError
from interfaces.cli.common import load_settings
from interfaces.services import build_services


def _stop_on_signals() -> threading.Event:
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    return stop


@click.command()
@click.option("--once", is_flag=True, help="poll each source once and exit")
@click.option("--tick", type=float, default=1.0, show_default=True, help="seconds between rounds")
def poll(once: bool, tick: float) -> None:
    """Poll the configured walls, chats, groups and the ПОС feed for new posts."""
    services = build_services(load_settings())
    try:
        poller = services.channels.poller()
        if not poller.sources:
            raise click.ClickException("no source is configured (see docs/channels.md)")
        names = ", ".join(source.name for source in poller.sources)
        click.echo(f"mcu: polling {names}", err=True)
        if once:
            click.echo(f"{poller.poll_due()} posts taken")
        else:
            poller.run(_stop_on_signals(), tick)
    finally:
        services.close()


@click.command()
@click.option("--once", is_flag=True, help="one pass: schedule and send what is due, then exit")
@click.option("--tick", type=float, default=1.0, show_default=True, help="seconds between passes")
def replies(once: bool, tick: float) -> None:
    """Deliver clarification requests, responses and resolutions to the authors' channels."""
    services = build_services(load_settings())
    try:
        worker = services.channels.reply_worker()
        channels = ", ".join(sorted(services.channels.gateways)) or "none"
        click.echo(f"mcu: replying on {channels}", err=True)
        if once:
            click.echo(f"{worker.step()} deliveries acted on")
        else:
            worker.run(_stop_on_signals(), tick)
    finally:
        services.close()


@click.command("import-pos")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_pos(file: Path) -> None:
    """Take appeals from the ПОС cabinet's export (CSV or JSON); repeated imports are harmless."""
    try:
        posts = read_export(file)
    except ExportError as error:
        raise click.ClickException(f"{file.name}: {error}") from None
    services = build_services(load_settings())
    outcomes: Counter[str] = Counter()
    try:
        for post in posts:
            try:
                outcomes[services.channels.intake.receive(post).outcome.value] += 1
            except DomainError as error:
                outcomes["refused"] += 1
                click.echo(f"{post.source_ref}: refused: {error}", err=True)
    finally:
        services.close()
    summary = ", ".join(f"{count} {outcome}" for outcome, count in sorted(outcomes.items()))
    click.echo(f"{len(posts)} appeals: {summary}" if posts else "no appeals in the file")
