"""`mcu history` and `mcu audit`: what happened to a complaint, and whether the log is intact."""

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import IO, Any
from uuid import UUID

import click

from application.audit.anchor import Anchor
from application.audit.archive import ImportRefused, export_events, import_events
from application.audit.history import NoSuchVersion, NotYetRegistered
from application.audit.tamper import SealRefused
from application.errors import ComplaintNotFound
from application.views import ComplaintView
from interfaces.cli.common import Moment, open_services, shown

MOMENT = Moment()


def _show(value: Any) -> str:
    if isinstance(value, datetime):
        return shown(value)
    if isinstance(value, (tuple, list)):
        return " | ".join(_show(v) for v in value) or "—"
    return "—" if value is None else str(value)


def _print_state(view: ComplaintView, moment: datetime | None) -> None:
    heading = f"as of {shown(moment)}" if moment else "now"
    click.echo(f"Complaint {view.id} ({heading}), version {view.version}")
    click.echo(f"  status        {view.status}")
    click.echo(f"  organisation  {_show(view.organisation)}")
    click.echo(
        f"  reaction      {view.reaction.state} (target {_show(view.reaction.target)}, "
        f"deadline {_show(view.reaction.deadline)})"
    )
    click.echo(f"  resolution    {view.resolution_clock.state} (deadline {_show(view.resolution_clock.deadline)})")


@click.command()
@click.argument("complaint_id", type=click.UUID)
@click.option("--as-of", type=MOMENT, help="show the complaint as it stood then (ISO time with offset)")
def history(complaint_id: UUID, as_of: datetime | None) -> None:
    """Print a complaint's history for a person: who did what, when, and what it changed."""
    with open_services() as services:
        try:
            entries = services.history.entries(complaint_id)
            view = services.history.as_of(complaint_id, as_of) if as_of else services.complaints.get(complaint_id)
        except (ComplaintNotFound, NotYetRegistered, NoSuchVersion) as error:
            raise click.ClickException(str(error)) from None
    _print_state(view, as_of)
    click.echo("")
    for entry in entries:
        if as_of is not None and entry.at > as_of:
            click.echo(f"  (later events not shown: from version {entry.version} on)")
            break
        click.echo(f"v{entry.version:<3} #{entry.position or '?':<7} {_show(entry.at)}  {entry.type:<22} {entry.actor}")
        for field, (before, after) in entry.changes.items():
            click.echo(f"        {field}: {_show(before)} → {_show(after)}")


@click.group()
def audit() -> None:
    """Export, import, seal and verify the event log."""


@audit.command("export")
@click.option("--from", "since", type=MOMENT, help="only events at or after this time")
@click.option("--to", "until", type=MOMENT, help="only events at or before this time")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="file to write (default: stdout)")
def export(since: datetime | None, until: datetime | None, out: Path | None) -> None:
    """Write every event in global order as JSON Lines."""
    try:
        sink: IO[str] = out.open("w", encoding="utf-8") if out else sys.stdout
    except OSError as error:
        raise click.ClickException(f"cannot write {out}: {error.strerror}") from None
    count = 0
    with open_services() as services:
        total = services.complaints.recorder.max_notification_id() or 0
        try:
            with click.progressbar(length=total, label="exporting", file=sys.stderr, hidden=out is None) as bar:
                for record in export_events(services.complaints, since=since, until=until):
                    sink.write(json.dumps(record, ensure_ascii=False) + "\n")
                    count += 1
                    bar.update(record["position"] - bar.pos)
        finally:
            if out:
                sink.close()
    click.echo(f"exported {count} events to {out or 'standard output'}", err=True)


@audit.command("import")
@click.argument("source", type=click.File("r", encoding="utf-8"))
def import_(source: IO[str]) -> None:
    """Load an export into an empty store; states and seals come back identical."""
    with open_services() as services:
        try:
            count = import_events(services.complaints, source, key=services.tamper.key)
        except ImportRefused as error:
            raise click.ClickException(str(error)) from None
    click.echo(f"imported {count} events", err=True)


@audit.command()
def seal() -> None:
    """Seal what every log recorded since its last checkpoint (run it regularly, e.g. from cron)
    and raise the high-water mark beside the audit key; prints the anchor to keep elsewhere."""
    with open_services() as services:
        try:
            sealed = services.tamper.seal()
        except SealRefused as error:
            click.echo(f"BROKEN: {error}", err=True)
            sys.exit(1)
        anchor = services.tamper.anchor()
    click.echo(f"sealed {len(sealed)} checkpoint(s)", err=True)
    click.echo(anchor.to_json())


@audit.command("anchor")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="file to write (default: stdout)")
def anchor_(out: Path | None) -> None:
    """Print where every log's checkpoints reach now, to keep off this machine."""
    with open_services() as services:
        text = services.tamper.anchor().to_json() + "\n"
    if out:
        out.write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)


@audit.command()
@click.option("--complaint", "complaint_id", type=click.UUID, help="check only this complaint's chain")
@click.option(
    "--anchor",
    "anchor_files",
    multiple=True,
    type=click.File("r", encoding="utf-8"),
    help="an anchor kept elsewhere (from `mcu audit anchor` or `seal`); the checkpoints must reach it",
)
def verify(complaint_id: UUID | None, anchor_files: tuple[IO[str], ...]) -> None:
    """Recompute the hash chains, countersignatures and checkpoints of every log; exit 1 at the first break."""
    try:
        anchors = [Anchor.from_json(file.read()) for file in anchor_files]
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--anchor") from None
    with open_services() as services:
        result = services.tamper.verify(complaint_id, anchors=anchors)
    for log in result.logs:
        unsigned = f", {log.unsigned} from before countersigning" if log.unsigned else ""
        click.echo(
            f"{log.name}: {log.events} events of {log.aggregates} aggregate(s){unsigned}; "
            f"{log.checkpoints} checkpoint(s), sealed up to position {log.sealed_up_to}"
        )
    if complaint_id is None:
        click.echo(f"held to {result.anchors} anchor(s)")
    if result.first_break is not None:
        click.echo(f"BROKEN: {result.first_break}", err=True)
        sys.exit(1)
    click.echo("intact")
