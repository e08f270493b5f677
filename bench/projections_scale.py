"""How the projections scale: rebuild rate against plain reading, queue latency, memory.

Loads N complaints (about four events each) into SQLite and PostgreSQL and prints, per
store: the rate of reading and decoding the notifications alone, with the bare library's
mapper and with the service's; the rebuild rate of each projection (to the end of the
rebuild, indexes built) and its ratios to those (the figure: what the view's writes cost on
top of reading);
p50/p99 latencies of typical queue queries at that size; and the process's resident memory
at each quarter of each rebuild, which must stay flat as the rebuild advances.

    .venv/bin/python bench/projections_scale.py --complaints 100000 --stores sqlite,postgres
"""

import argparse
import os
import resource
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from eventsourcing.persistence import JSONTranscoder, Mapper

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from adapters.clock import ManualClock  # noqa: E402
from adapters.config import Settings  # noqa: E402
from application.demo import load_in_batches  # noqa: E402
from application.projections.complaint_list import ComplaintQuery, Sort, SortKey  # noqa: E402
from application.projections.reaction import Dimension, Period, ReactionQuery  # noqa: E402
from bench.in_process import fresh_store, latencies  # noqa: E402
from domain.reaction import ClockState  # noqa: E402
from interfaces import heap  # noqa: E402
from interfaces.bootstrap import Services, bootstrap  # noqa: E402

START = datetime(2026, 8, 1, tzinfo=UTC)
PAGE = os.sysconf("SC_PAGE_SIZE")


def rss_mib() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * PAGE / 2**20


def bare_mapper(services: Services) -> Mapper[Any]:
    """The library's own mapper and JSON transcoder, with the service's transcodings: the
    bare decoding the target compares with (the service's own reads through msgspec)."""
    transcoder = JSONTranscoder()
    services.complaints.register_transcodings(transcoder)
    return Mapper(transcoder=transcoder)


def read_and_decode(services: Services, mapper: Mapper[Any], last: int, batch: int) -> float:
    recorder = services.complaints.recorder
    started, position = time.perf_counter(), 0
    while position < last:
        notifications = recorder.select_notifications(start=position, limit=batch, inclusive_of_start=False)
        for notification in notifications:
            mapper.to_domain_event(notification)
        position = notifications[-1].id
    return last / (time.perf_counter() - started)


def rebuild(services: Services, name: str, last: int) -> tuple[float, list[float]]:
    projector = services.read_models.projectors[name]
    quarters = [last * q // 4 for q in (1, 2, 3)]
    samples: list[float] = []
    done = 0

    def progress(step: int) -> None:
        nonlocal done
        done += step
        while quarters and done >= quarters[0]:
            quarters.pop(0)
            samples.append(rss_mib())

    started = time.perf_counter()
    # Timed to the end: the rebuilt view takes the live one's place with its indexes and search.
    projector.rebuild(progress)
    samples.append(rss_mib())
    elapsed = time.perf_counter() - started
    return last / elapsed, samples


def queue_queries(services: Services) -> dict[str, Callable[[int], object]]:
    view, now = services.read_models.views.complaint_list, START + timedelta(days=60)
    first = view.find(ComplaintQuery(sort=Sort(SortKey.RECEIVED, descending=True)), now)
    return {
        "overdue now, by deadline": lambda _: view.find(ComplaintQuery(clock=(ClockState.OVERDUE,), running=True), now),
        "organisation's open queue": lambda _: view.find(
            ComplaintQuery(organisation=("Управляющая компания",), status=("assigned", "responded")), now
        ),
        "category+district+dates": lambda _: view.find(
            ComplaintQuery(
                category=("healthcare",),
                district=("Кировский",),
                received_from=START + timedelta(days=20),
                received_before=START + timedelta(days=40),
                sort=Sort(SortKey.RECEIVED, descending=True),
            ),
            now,
        ),
        "search, common 'подъезде'": lambda _: view.find(ComplaintQuery(text="подъезде"), now),
        "search, rare 'колодец'": lambda _: view.find(ComplaintQuery(text="колодец"), now),
        "newest, page 2 (cursor)": lambda _: view.find(
            ComplaintQuery(sort=Sort(SortKey.RECEIVED, descending=True), after=first.next_after), now
        ),
        "reaction by month×category": lambda _: services.read_models.views.reaction.figures(
            ReactionQuery(Period.MONTH, Dimension.CATEGORY), now
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--complaints", type=int, default=1_000_000)
    parser.add_argument("--stores", default="sqlite,postgres")
    parser.add_argument("--batch", type=int, default=500, help="events per rebuild transaction")
    parser.add_argument("--repeat", type=int, default=100, help="runs of each queue query")
    parser.add_argument("--dsn", default="host=127.0.0.1 port=5432 dbname=test user=postgres")
    args = parser.parse_args()

    for store in args.stores.split(","):
        with fresh_store(store, args.dsn) as fresh:
            measure(fresh.model_copy(update={"projection_batch_size": args.batch}), store, args)


def measure(settings: Settings, store: str, args: argparse.Namespace) -> None:
    services = bootstrap(settings, clock=ManualClock(START))
    try:
        print(f"\n== {store}: {args.complaints:,} complaints", flush=True)
        started = time.perf_counter()
        last = load_in_batches(services.complaints, args.complaints, start=START, batch=1000)
        print(f"loaded {last:,} events in {time.perf_counter() - started:.0f} s", flush=True)
        heap.settle()  # as `mcu replay` does once it has started
        baseline = read_and_decode(services, bare_mapper(services), last, args.batch)
        ours = read_and_decode(services, services.complaints.mapper, last, args.batch)
        print(f"read and decode only, the bare library: {baseline:,.0f} events/s", flush=True)
        print(f"read and decode only, the service's:    {ours:,.0f} events/s", flush=True)
        print(f"{'projection':<16}{'events/s':>10}{'ratio':>8}{'to ours':>9}   RSS MiB at 25/50/75/100%")
        for name in services.read_models.projectors:
            rate, memory = rebuild(services, name, last)
            print(
                f"{name:<16}{rate:>10,.0f}{rate / baseline:>8.2f}{rate / ours:>9.2f}   "
                + " / ".join(f"{m:.0f}" for m in memory),
                flush=True,
            )
        print(f"{'queue query':<30}{'p50 ms':>8}{'p99 ms':>8}")
        for label, run in queue_queries(services).items():
            repeat = 5 if label.startswith("reaction") else args.repeat
            p50, p99 = latencies(run, repeat)
            print(f"{label:<30}{p50:>8.1f}{p99:>8.1f}", flush=True)
        print(f"peak RSS of the process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    finally:
        services.close()


if __name__ == "__main__":
    main()
