"""`mcu import FILE`: a backlog of complaints registered in batches, one transaction each.

Batches are built and committed by as many child processes as the machine has cores (on the
in-memory store, by this process): building a complaint costs CPU, committing it costs little.
"""

import os
import sys
from collections import Counter, deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from functools import partial
from itertools import cycle
from pathlib import Path
from time import perf_counter

import click
import msgspec

from application.commands import Register
from application.complaints import Registration
from application.group_commit import RegisterMany
from domain.errors import DomainError
from interfaces.cli.common import open_services
from interfaces.http.dto import RegisterComplaint
from interfaces.registration_process import RegistrationProcess
from interfaces.services import Services

_DECODER = msgspec.json.Decoder(RegisterComplaint)


def _commands(path: Path, actor: str, problems: list[str]) -> Iterator[tuple[int, int, Register | None]]:
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
@click.option(
    "--jobs", type=click.IntRange(1, 64), default=None, help="processes building complaints  [default: CPU cores]"
)
def import_complaints(file: Path, batch: int, actor: str, jobs: int | None) -> None:
    """Register complaints from JSON Lines shaped like POST /api/v1/complaints bodies.

    Repeats of posts already registered are counted, not duplicated; a refused line is
    reported with its number and the rest are still registered. Exit status 1 if any was refused.
    """
    started = perf_counter()
    problems: list[str] = []
    counts: Counter[str] = Counter()
    with (
        open_services() as services,
        click.progressbar(length=file.stat().st_size, label="importing", file=sys.stderr) as bar,
    ):
        registrars, close = _registrars(services, jobs or os.cpu_count() or 1)
        # Up to one batch per registrar in flight; outcomes are taken in the file's order.
        in_flight: deque[tuple[list[int], Future[Sequence[Registration | DomainError]]]] = deque()

        def settle_oldest() -> None:
            numbers, outcomes = in_flight.popleft()
            for number, outcome in zip(numbers, outcomes.result(), strict=True):
                if isinstance(outcome, Exception):
                    problems.append(f"line {number}: {outcome}")
                else:
                    counts["registered" if outcome.created else "already registered"] += 1

        try:
            with ThreadPoolExecutor(len(registrars)) as pool:
                turns = cycle(registrars)
                pending: list[tuple[int, Register]] = []

                def flush() -> None:
                    # Registrars take turns, so the next in turn is the one the oldest batch held.
                    while len(in_flight) >= len(registrars):
                        settle_oldest()
                    batch_of = pool.submit(next(turns), [command for _, command in pending])
                    in_flight.append(([number for number, _ in pending], batch_of))
                    pending.clear()

                for number, size, command in _commands(file, actor, problems):
                    bar.update(size)
                    if command is not None:
                        pending.append((number, command))
                    if len(pending) >= batch:
                        flush()
                if pending:
                    flush()
                while in_flight:
                    settle_oldest()
        finally:
            close()
    for problem in sorted(problems, key=lambda problem: int(problem.split(":")[0].removeprefix("line "))):
        click.echo(problem, err=True)
    counts["refused"] = len(problems)
    elapsed = perf_counter() - started
    summary = ", ".join(f"{counts[k]} {k}" for k in ("registered", "already registered", "refused"))
    click.echo(f"{summary} in {elapsed:.1f} s ({sum(counts.values()) / elapsed:,.0f} lines/s)")
    if problems:
        sys.exit(1)


def _registrars(services: Services, jobs: int) -> tuple[list[RegisterMany], Callable[[], None]]:
    """Who registers the batches, and how to stop them."""
    if jobs == 1 or services.settings.store == "memory":
        return [partial(services.complaints.register_many, with_views=False)], lambda: None
    children = [RegistrationProcess(services.settings) for _ in range(jobs)]
    for child in children:
        child.start()  # they load while this process reads the first batches

    def close() -> None:
        for child in children:
            child.close()

    return [partial(child.register_many, with_views=False) for child in children], close
