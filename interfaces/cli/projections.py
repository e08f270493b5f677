"""`mcu project`, `mcu replay` and `mcu demo`: the read side run, rebuilt and shown with data."""

import signal
import sys
from datetime import UTC, datetime
from threading import Event
from types import FrameType

import click

from adapters.clock import ManualClock
from application.demo import generate, months_before, planned
from application.projections.calendar import MOSCOW
from application.projections.readmodels import PROJECTIONS
from interfaces import heap
from interfaces.cli.common import load_settings
from interfaces.services import build_services


@click.command()
def project() -> None:
    """Keep the views current with the store until stopped (SIGTERM or Ctrl-C).

    The production read side: one such process per database, with the API workers started
    with MCU_EMBEDDED_PROJECTIONS=false. Safe to kill at any moment; a restart resumes.
    """
    services = build_services(load_settings())
    heap.settle()
    stopped = Event()

    def stop(signum: int, _: FrameType | None) -> None:
        stopped.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        services.read_models.start()
        click.echo(f"mcu: projecting {', '.join(PROJECTIONS)} from the {services.settings.store} store", err=True)
        stopped.wait()
    finally:
        services.close()
    click.echo("mcu: projections stopped", err=True)


@click.command()
@click.option(
    "--projection",
    "names",
    multiple=True,
    type=click.Choice(list(PROJECTIONS)),
    help="the view to rebuild (repeatable); all of them by default",
)
def replay(names: tuple[str, ...]) -> None:
    """Rebuild views from the first event beside the live ones, showing progress.

    Each live view serves until its rebuild holds every event, then the rebuilt one takes its
    place at once. If an earlier replay was interrupted, this one resumes it from the last
    committed batch, and the result is the same as an uninterrupted rebuild.
    """
    services = build_services(load_settings())
    heap.settle()
    try:
        last = services.complaints.recorder.max_notification_id() or 0
        for name in names or tuple(PROJECTIONS):
            projector = services.read_models.projectors[name]
            done = projector.rebuilt_position()
            if projector.view.rebuilding():
                click.echo(f"{name}: resuming an interrupted rebuild at event {done}", err=True)
            with click.progressbar(length=max(last, done), label=name, show_pos=True, file=sys.stderr) as bar:
                bar.update(done)
                try:
                    projector.rebuild(progress=bar.update)
                except Exception as error:  # one line, never a traceback; the live view is untouched
                    raise click.ClickException(
                        f"{name}: the rebuild stopped after event {projector.rebuilt_position()} "
                        f"({type(error).__name__}); the live view still serves, and `mcu replay` resumes it"
                    ) from None
    finally:
        services.close()


@click.command()
@click.option("--months", type=click.IntRange(1, 24), default=3, show_default=True)
@click.option(
    "--per-month",
    type=click.IntRange(1, 100_000),
    default=2100,
    show_default=True,
    help="complaints in the first month",
)
@click.option(
    "--growth", type=click.FloatRange(-0.5, 1.0), default=0.05, show_default=True, help="monthly growth of the volume"
)
@click.option("--seed", type=int, default=7, show_default=True)
@click.option(
    "--start",
    type=click.DateTime(["%Y-%m"]),
    default=None,
    help="the first month (YYYY-MM); default: so that the last month is the previous one",
)
def demo(months: int, per_month: int, growth: float, seed: int, start: datetime | None) -> None:
    """Fill the store with simulated months of complaints, made through the service's commands."""
    loaded = load_settings()
    # The demo's own clock; the real one only places the default period before this month.
    start = months_before(datetime.now(UTC), months) if start is None else start.replace(tzinfo=MOSCOW)
    clock = ManualClock(start)
    services = build_services(loaded, clock=clock)
    try:
        if services.complaints.recorder.max_notification_id():
            # The demo's posts have fixed references: a second run would meet its own complaints.
            raise click.ClickException(
                "the store already holds complaints; mcu demo fills an empty one: "
                "point MCU_DATA_DIR (or MCU_POSTGRES_DBNAME) at a new store"
            )
        with click.progressbar(
            length=planned(months, per_month, growth),
            label="complaints",
            show_pos=True,
            file=sys.stderr,
        ) as bar:
            summary = generate(
                services.complaints,
                clock.set,
                start=start,
                months=months,
                per_month=per_month,
                growth=growth,
                seed=seed,
                progress=bar.update,
            )
    finally:
        services.close()
    click.echo("month      registered  resolved")
    for month in sorted(summary.registered):
        click.echo(f"{month}  {summary.registered[month]:>10}  {summary.resolved[month]:>8}")
    click.echo(f"monthly average registered: {summary.monthly_average:.1f}")
    top = ", ".join(f"{category} {count}" for category, count in summary.categories.most_common(3))
    click.echo(f"top categories: {top}")
    click.echo(
        f"answered within 2 h: {summary.within_target / summary.reacted:.1%}, "
        f"within 4 h: {summary.within_norm / summary.reacted:.1%} of {summary.reacted}"
    )
    click.echo(f"reopened: {summary.reopened}")
