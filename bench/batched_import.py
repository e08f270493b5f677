"""Batched import against the raw database's bulk insert of the same rows, in one run.

    .venv/bin/python bench/batched_import.py [--complaints 20000] [--batch 1000] [--jobs N] [--store sqlite|postgres]

Times the whole `mcu import FILE` command on N complaints as JSON Lines (start-up, parsing,
validation, personal-data encryption, hash chain, countersignature, one transaction per
batch), then inserts the very rows it stored into an empty table with one executemany per
batch: the database alone.
"""

import argparse
import json
import os
import re
import sqlite3
import subprocess
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
from service import MCU, store_environment

from adapters.clock import ManualClock
from adapters.config import Settings
from application.commands import Register
from interfaces.bootstrap import bootstrap


def commands(n: int, clock: ManualClock) -> list[Register]:
    return [
        Register(
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
    parser.add_argument("--jobs", type=int, default=None, help="passed to mcu import; default: its own")
    parser.add_argument("--store", choices=["sqlite", "postgres"], default="sqlite")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, store_environment(args.store, Path(tmp)) as env:
        backlog = Path(tmp) / "backlog.jsonl"
        now = datetime.now(UTC)
        with backlog.open("w", encoding="utf-8") as lines:
            for command in commands(args.complaints, ManualClock(now)):
                body = {name: getattr(command, name) for name in ("channel", "source_ref", "author_ref", "text")}
                lines.write(json.dumps({**body, "received_at": command.received_at.isoformat()}, ensure_ascii=False))
                lines.write("\n")
        jobs = [] if args.jobs is None else ["--jobs", str(args.jobs)]
        started = time.perf_counter()
        run = subprocess.run(
            [str(MCU), "import", str(backlog), "--batch", str(args.batch), *jobs],
            env=env,
            cwd=tmp,
            capture_output=True,
            text=True,
        )
        if run.returncode != 0:
            raise SystemExit(f"mcu import failed ({run.returncode}):\n{run.stdout[-2000:]}\n{run.stderr[-4000:]}")
        whole = args.complaints / (time.perf_counter() - started)
        # The command's own clock starts once Python has loaded it: what a long import sees.
        ours = args.complaints / float(re.search(r" in ([0-9.]+) s", run.stdout).group(1))
        os.environ.update(env)
        settings = Settings()
        services = bootstrap(settings)
        stored = services.complaints.recorder.select_notifications(1, args.complaints + 1)
        services.close()
        if len(stored) != args.complaints:
            raise SystemExit(f"{len(stored)} complaints stored of {args.complaints}")
        rows = [
            (n.originator_id.hex if args.store == "sqlite" else n.originator_id, n.originator_version, n.topic, n.state)
            for n in stored
        ]
        raw = raw_rate(settings, rows, args.batch)
    print(f"store: {args.store}, complaints: {args.complaints}, batch: {args.batch}, jobs: {args.jobs or 'default'}")
    print(f"mcu import, whole command : {whole:9.0f} complaints/s (with the interpreter's start)")
    print(f"mcu import, its own clock : {ours:9.0f} complaints/s")
    print(f"raw bulk insert, same rows: {raw:9.0f} rows/s")
    print(f"ratio (own clock)         : {ours / raw:.3f}")


if __name__ == "__main__":
    main()
