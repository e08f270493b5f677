"""How the projections scale: rebuild rate against plain reading, queue latency, memory.

Loads N complaints (about four events each) into SQLite and PostgreSQL and prints, per
store: the rate of reading and decoding the notifications alone, with the bare library's
mapper and with the service's; the rebuild rate of each projection (to the end of the
rebuild, beside the live view, indexes built) and its ratios to those and to its SQL floor
(the same rows written by bare SQL with the same indexes and text search, in the same run;
for the views whose rows sum many events, the same per-event statements run by bare SQL);
p50/p99 latencies of typical queue queries at that size, idle and while `mcu replay`
rebuilds complaint_list in a process of its own; and the process's resident memory at each
quarter of each rebuild, which must stay flat as the rebuild advances.

    .venv/bin/python bench/projections_scale.py --complaints 100000 --stores sqlite,postgres
"""

import argparse
import os
import re
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from eventsourcing.persistence import JSONTranscoder, Mapper, Tracking

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from adapters.clock import ManualClock  # noqa: E402
from adapters.config import Settings  # noqa: E402
from adapters.views.postgres import PostgresView  # noqa: E402
from adapters.views.sql import SQLView  # noqa: E402
from application.demo import load_in_batches  # noqa: E402
from application.projections.complaint_list import ComplaintQuery, Sort, SortKey  # noqa: E402
from application.projections.reaction import Dimension, Period, ReactionQuery  # noqa: E402
from bench.in_process import fresh_store, latencies, summary, timed  # noqa: E402
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


def sql_floor(services: Services, name: str, last: int, batch: int) -> float:
    """Events/s were the view's rows written by bare SQL: the rows of the view just rebuilt,
    read back, inserted beside it in as many transactions as its rebuild committed, then put
    in its place with the same text search and indexes the rebuild builds at its end."""
    view = services.read_models.projectors[name].view
    assert isinstance(view, SQLView)
    # The text search is filled from these tables at the end, as in a rebuild.
    written = [table for table in view.tables if any(view.table(table) in ddl for ddl in view.tables_ddl())]
    rows = {table: [dict(row) for row in view.rows(f"SELECT * FROM {view.table(table)}")] for table in written}
    position = view.max_tracking_id(services.complaints.name) or 0
    transactions = max(1, -(-last // batch))
    started = time.perf_counter()
    view.begin_rebuild()
    beside = view.beside()
    # Generated columns (PostgreSQL's text search vector) are the database's to compute.
    generated = set(re.findall(r"(\w+) \w+ GENERATED ALWAYS", " ".join(view.tables_ddl())))
    columns = {
        table: [c for c in (table_rows[0] if table_rows else {}) if c not in generated]
        for table, table_rows in rows.items()
    }
    for part in range(transactions):
        with beside.transaction(commit=True) as cursor:
            for table, table_rows in rows.items():
                share = [{column: row[column] for column in columns[table]} for row in table_rows[part::transactions]]
                if share:
                    cursor.executemany(
                        beside.statement(
                            f"INSERT INTO {beside.table(table)} ({', '.join(columns[table])}) "
                            f"VALUES ({', '.join(':' + column for column in columns[table])})"
                        ),
                        share,
                    )
    beside.apply([], Tracking(services.complaints.name, position))
    view.end_rebuild()
    return last / (time.perf_counter() - started)


# The views whose rows sum many events (counters, clocks stopped, the holder's figures): writing
# their final rows once costs next to nothing, so their floor runs each event's statements.
PER_EVENT_FLOOR = frozenset({"reaction", "volume", "organisations"})


def per_event_floor(services: Services, name: str, last: int, batch: int) -> float:
    """Events/s were each event's statements run by bare SQL: the insert, update or upsert the
    view's rows need for each event (the view's own statements, not folded within a batch),
    prepared before the clock starts, then run by ``executemany`` over each run of one
    statement, in transactions of ``batch`` events beside the view (pipelined on PostgreSQL, as
    the views are), and put in place with the same indexes."""
    projector = services.read_models.projectors[name]
    view = projector.view
    assert isinstance(view, SQLView)
    view.begin_rebuild()
    beside = view.beside()
    transactions = prepared(services, projector.projection, beside, last, batch)
    position = view.max_tracking_id(services.complaints.name) or 0
    started = time.perf_counter()
    for statements in transactions:
        with beside.transaction(commit=True) as cursor, pipelined(cursor, beside):
            for sql, params in statements:
                cursor.executemany(sql, params)
    beside.apply([], Tracking(services.complaints.name, position))
    view.end_rebuild()
    return last / (time.perf_counter() - started)


def pipelined(cursor: Any, view: SQLView) -> AbstractContextManager[Any]:
    return cursor.connection.pipeline() if isinstance(view, PostgresView) else nullcontext()


def prepared(
    services: Services, projection: Any, beside: SQLView, last: int, batch: int
) -> list[list[tuple[str, list[Any]]]]:
    """Per transaction of ``batch`` events: its statements in order, consecutive ones of one
    text as one ``executemany``."""
    recorder, decode = services.complaints.recorder, services.complaints.mapper.to_domain_event
    topics = frozenset(projection.topics)
    transactions, position = [], 0
    while position < last:
        notifications = recorder.select_notifications(start=position, limit=batch, inclusive_of_start=False)
        statements: list[tuple[str, list[Any]]] = []
        for notification in notifications:
            if notification.topic not in topics:
                continue
            for change in projection.changes(decode(notification)):
                for row_change in beside.row_changes(change):
                    sql, params = beside.compiled(row_change)
                    if statements and statements[-1][0] == sql:
                        statements[-1][1].append(params)
                    else:
                        statements.append((sql, [params]))
        transactions.append(statements)
        position = notifications[-1].id
    return transactions


def during_rebuild(settings: Settings, services: Services, name: str, repeat: int) -> dict[str, tuple[float, float]]:
    """The queue queries' p50/p99 while `mcu replay --projection NAME` rebuilds that view in a
    process of its own, as an operator would run it."""
    env = {**os.environ, **environment_of(settings)}
    replay = subprocess.Popen(
        [str(Path(sys.executable).with_name("mcu")), "replay", "--projection", name],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    figures: dict[str, list[float]] = {label: [] for label in queue_queries(services)}
    try:
        while replay.poll() is None:
            for label, ask in queue_queries(services).items():
                figures[label].extend(timed(ask, repeat))
    finally:
        _, errors = replay.communicate(timeout=600)
    if replay.returncode != 0:
        raise SystemExit(f"mcu replay failed: {errors.decode(errors='replace')[-500:]}")
    return {label: summary(times) for label, times in figures.items() if times}


def environment_of(settings: Settings) -> dict[str, str]:
    """The MCU_* variables that give a child process the store of ``settings``."""
    keys = [
        "store",
        "data_dir",
        "postgres_host",
        "postgres_port",
        "postgres_dbname",
        "postgres_user",
        "postgres_schema",
    ]
    return {f"MCU_{key.upper()}": str(getattr(settings, key)) for key in keys}


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
        print(
            f"{'projection':<16}{'events/s':>10}{'ratio':>8}{'to ours':>9}{'SQL floor':>11}{'to floor':>10}"
            "   RSS MiB at 25/50/75/100%"
        )
        for name in services.read_models.projectors:
            rate, memory = rebuild(services, name, last)
            floor = (per_event_floor if name in PER_EVENT_FLOOR else sql_floor)(services, name, last, args.batch)
            ratios = f"{rate / baseline:>8.2f}{rate / ours:>9.2f}{floor:>11,.0f}{rate / floor:>10.2f}"
            print(f"{name:<16}{rate:>10,.0f}{ratios}   " + " / ".join(f"{m:.0f}" for m in memory), flush=True)
        idle = {
            label: latencies(ask, 5 if label.startswith("reaction") else args.repeat)
            for label, ask in queue_queries(services).items()
        }
        busy = during_rebuild(settings, services, "complaint_list", 3)
        print(f"{'queue query, p50 / p99 ms':<30}{'idle':>16}{'during a rebuild':>20}")
        for label, (p50, p99) in idle.items():
            during = busy.get(label)
            shown = f"{during[0]:.1f} / {during[1]:.1f}" if during else "—"
            print(f"{label:<30}{f'{p50:.1f} / {p99:.1f}':>16}{shown:>20}", flush=True)
        print(f"peak RSS of the process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    finally:
        services.close()


if __name__ == "__main__":
    main()
