"""`mcu import FILE`: a backlog of complaints registered in batches, one transaction each."""

import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import click
import msgspec

from application.complaints import NewComplaint
from interfaces.cli.common import open_services
from interfaces.http.dto import RegisterComplaint

_DECODER = msgspec.json.Decoder(RegisterComplaint)


def _commands(path: Path, actor: str, problems: list[str]) -> Iterator[tuple[int, int, NewComplaint | None]]:
    """(line number, bytes read, command); each line validated as the API validates a body."""
    with path.open("rb") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                yield number, len(line), None
                continue
            try:
                body = _DECODER.decode(line)
            except msgspec.DecodeError as error:
                problems.append(f"line {number}: {error}")
                yield number, len(line), None
                continue
            yield (
                number,
                len(line),
                body.command(actor=actor),
            )


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--batch", type=click.IntRange(1, 10_000), default=1000, show_default=True, help="registrations per transaction"
)
@click.option("--actor", default="operator:import", show_default=True, help="who is recorded as registering")
def import_complaints(file: Path, batch: int, actor: str) -> None:
    """Register complaints from JSON Lines shaped like POST /api/v1/complaints bodies.

    Repeats of posts already registered are counted, not duplicated; a refused line is
    reported with its number and the rest are still registered. Exit status 1 if any was refused.
    """
    problems: list[str] = []
    counts: Counter[str] = Counter()
    with (
        open_services() as services,
        click.progressbar(length=file.stat().st_size, label="importing", file=sys.stderr) as bar,
    ):
        pending: list[tuple[int, NewComplaint]] = []

        def flush() -> None:
            outcomes = services.complaints.register_many([command for _, command in pending], with_views=False)
            for (number, _), outcome in zip(pending, outcomes, strict=True):
                if isinstance(outcome, Exception):
                    problems.append(f"line {number}: {outcome}")
                else:
                    counts["registered" if outcome.created else "already registered"] += 1
            pending.clear()

        for number, size, command in _commands(file, actor, problems):
            bar.update(size)
            if command is not None:
                pending.append((number, command))
            if len(pending) >= batch:
                flush()
        if pending:
            flush()
    for problem in problems:
        click.echo(problem, err=True)
    counts["refused"] = len(problems)
    click.echo(", ".join(f"{counts[k]} {k}" for k in ("registered", "already registered", "refused")))
    if problems:
        sys.exit(1)
