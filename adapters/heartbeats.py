"""Where the reply processes' heartbeats are kept: beside the replies' events, in the same
database (the SQLite file or the PostgreSQL schema), on the connections the replies' recorder
already holds; in memory for the in-memory store, where only an embedded process can reply.

One row per process, overwritten at each beat; see application/replies/heartbeat.py.
"""

import json
import threading
from datetime import datetime

from eventsourcing.persistence import Recorder
from eventsourcing.postgres import PostgresDatastore
from eventsourcing.sqlite import SQLiteDatastore

from application.projections.calendar import micros, moment
from application.replies.heartbeat import Beat, Heartbeats

_TABLE = "reply_heartbeats"


class MemoryHeartbeats:
    def __init__(self) -> None:
        self._beats: dict[str, Beat] = {}
        self._lock = threading.Lock()

    def record(self, beat: Beat, *, forget_before: datetime) -> None:
        with self._lock:
            self._beats = {key: kept for key, kept in self._beats.items() if kept.at >= forget_before}
            self._beats[beat.process] = beat

    def remove(self, process: str) -> None:
        with self._lock:
            self._beats.pop(process, None)

    def since(self, moment_: datetime) -> list[Beat]:
        with self._lock:
            return [beat for beat in self._beats.values() if beat.at >= moment_]


class SQLHeartbeats:
    """The same statements on SQLite and PostgreSQL, but for the parameters' style."""

    def __init__(self, datastore: SQLiteDatastore | PostgresDatastore) -> None:
        self._datastore = datastore
        if isinstance(datastore, PostgresDatastore):
            self._table = f'"{datastore.schema}".{_TABLE}'
            self._mark = "%s"
        else:
            self._table, self._mark = _TABLE, "?"
        self._execute(
            f"CREATE TABLE IF NOT EXISTS {self._table} (process TEXT PRIMARY KEY, "
            "at BIGINT NOT NULL, channels TEXT NOT NULL, trouble TEXT NOT NULL)"
        )

    def _execute(self, statement: str, *params: object) -> list[dict]:
        with self._datastore.transaction(commit=True) as cursor:
            cursor.execute(statement.replace("?", self._mark), params)
            return [dict(row) for row in cursor.fetchall()] if statement.startswith("SELECT") else []

    def record(self, beat: Beat, *, forget_before: datetime) -> None:
        self._execute(f"DELETE FROM {self._table} WHERE at < ?", micros(forget_before))
        self._execute(
            f"INSERT INTO {self._table} (process, at, channels, trouble) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (process) DO UPDATE SET at = excluded.at, channels = excluded.channels, "
            "trouble = excluded.trouble",
            beat.process,
            micros(beat.at),
            json.dumps(list(beat.channels)),
            json.dumps(dict(beat.trouble), ensure_ascii=False),
        )

    def remove(self, process: str) -> None:
        self._execute(f"DELETE FROM {self._table} WHERE process = ?", process)

    def since(self, moment_: datetime) -> list[Beat]:
        rows = self._execute(f"SELECT process, at, channels, trouble FROM {self._table} WHERE at >= ?", micros(moment_))
        return [
            Beat(row["process"], moment(row["at"]), tuple(json.loads(row["channels"])), json.loads(row["trouble"]))
            for row in rows
        ]


def heartbeats_beside(recorder: Recorder) -> Heartbeats:
    datastore = getattr(recorder, "datastore", None)
    if isinstance(datastore, SQLiteDatastore | PostgresDatastore):
        return SQLHeartbeats(datastore)
    return MemoryHeartbeats()
