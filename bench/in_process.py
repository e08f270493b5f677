"""What the benchmarks that run the service in their own process share: a fresh store of
either kind, removed afterwards, and the latency of a repeated call."""

import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg

from adapters.config import Settings


@contextmanager
def fresh_store(store: str, dsn: str) -> Iterator[Settings]:
    """Settings for an empty SQLite folder or PostgreSQL schema, both gone on leaving."""
    folder = Path(tempfile.mkdtemp(prefix="mcu-bench-"))
    schema = f"mcu_bench_{os.getpid()}"
    try:
        if store == "sqlite":
            yield Settings(store="sqlite", data_dir=folder)
            return
        params = psycopg.conninfo.conninfo_to_dict(dsn)
        with psycopg.connect(dsn, autocommit=True) as connection:
            connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
            connection.execute(f'CREATE SCHEMA "{schema}"')
        try:
            yield Settings(
                store="postgres",
                data_dir=folder,
                postgres_host=str(params.get("host", "127.0.0.1")),
                postgres_port=int(params.get("port", 5432)),
                postgres_dbname=str(params["dbname"]),
                postgres_user=str(params.get("user", "postgres")),
                postgres_schema=schema,
            )
        finally:
            with psycopg.connect(dsn, autocommit=True) as connection:
                connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def timed(ask: Callable[[int], object], repeat: int) -> list[float]:
    """Milliseconds of ``repeat`` calls, each given its number."""
    times = []
    for n in range(repeat):
        started = time.perf_counter()
        ask(n)
        times.append((time.perf_counter() - started) * 1000)
    return times


def summary(times: list[float]) -> tuple[float, float]:
    """p50 and p99."""
    ordered = sorted(times)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def latencies(ask: Callable[[int], object], repeat: int) -> tuple[float, float]:
    """p50 and p99 in milliseconds of ``repeat`` calls, each given its number."""
    return summary(timed(ask, repeat))
