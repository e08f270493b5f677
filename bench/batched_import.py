"""Batched import against the raw database's bulk insert of the same rows, in one run.

    .venv/bin/python bench/batched_import.py [--complaints 20000] [--batch 1000] [--store sqlite|postgres]

Registers N complaints through ComplaintService.register_many (validation, personal-data
encryption, hash chain, countersignature, one transaction per batch), then inserts the very
rows it stored into an empty table with one executemany per batch: the database alone.
"""

import argparse
import sqlite3
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import uuid4

import psycopg

from adapters.clock import ManualClock
from adapters.config import Settings
from application.complaints import NewComplaint
from interfaces.bootstrap import bootstrap


def commands(n: int, clock: ManualClock) -> list[NewComplaint]:
    return [
        NewComplaint(
            channel="gosuslugi",
            source_ref=f"POS-{i}",
            author_ref=f"esia:{i % 5000}",
            text=f"Не работает освещение во дворе дома Королёва {i % 300}",
            received_at=clock.now() - timedelta(minutes=i % 600),
            actor="operator:import",
        )
        for i in range(n)
    ]


def raw_rate(settings: Settings, rows: list[tuple], batch: int) -> float:
    if settings.store == "sqlite":
        conn = sqlite3.connect(settings.data_dir / "raw.sqlite3")
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute(
            "CREATE TABLE raw (originator_id TEXT, originator_version INTEGER, topic TEXT, state BLOB, "
            "PRIMARY KEY (originator_id, originator_version))"
        )
        insert = "INSERT INTO raw VALUES (?, ?, ?, ?)"
    else:
        conn = psycopg.connect(settings.postgres_conninfo())
        conn.execute(
            f"CREATE TABLE {settings.postgres_schema}.raw (notification_id bigserial, originator_id uuid, "
            "originator_version integer, topic text, state bytea, PRIMARY KEY (originator_id, originator_version))"
        )
        conn.commit()
        insert = (
            f"INSERT INTO {settings.postgres_schema}.raw (originator_id, originator_version, topic, state) "
            "VALUES (%s, %s, %s, %s)"
        )
    started = time.perf_counter()
    for i in range(0, len(rows), batch):
        cursor = conn.cursor()
        cursor.executemany(insert, rows[i : i + batch])
        conn.commit()
    elapsed = time.perf_counter() - started
    conn.close()
    return len(rows) / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--complaints", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--store", choices=["sqlite", "postgres"], default="sqlite")
    args = parser.parse_args()
    clock = ManualClock(datetime.now(UTC))
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(store=args.store, data_dir=Path(tmp), audit_key="bench")
        schema = None
        if args.store == "postgres":
            schema = f"bench_{uuid4().hex[:8]}"
            settings = settings.model_copy(update={"postgres_dbname": "test", "postgres_schema": schema})
            with psycopg.connect(settings.postgres_conninfo(), autocommit=True) as conn:
                conn.execute(f"CREATE SCHEMA {schema}")
        try:
            services = bootstrap(settings, clock=clock)
            todo = commands(args.complaints, clock)
            started = time.perf_counter()
            for i in range(0, len(todo), args.batch):
                services.complaints.register_many(todo[i : i + args.batch], with_views=False)
            ours = len(todo) / (time.perf_counter() - started)
            stored = services.complaints.recorder.select_notifications(1, args.complaints + 1)
            rows = [
                (
                    n.originator_id.hex if args.store == "sqlite" else n.originator_id,
                    n.originator_version,
                    n.topic,
                    n.state,
                )
                for n in stored
            ]
            services.close()
            raw = raw_rate(settings, rows, args.batch)
        finally:
            if schema:
                with psycopg.connect(settings.postgres_conninfo(), autocommit=True) as conn:
                    conn.execute(f"DROP SCHEMA {schema} CASCADE")
    print(f"store: {args.store}, complaints: {args.complaints}, batch: {args.batch}")
    print(f"mcu batched registration  : {ours:9.0f} complaints/s")
    print(f"raw bulk insert, same rows: {raw:9.0f} rows/s")
    print(f"ratio                     : {ours / raw:.3f}")


if __name__ == "__main__":
    main()
