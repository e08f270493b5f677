"""Raw access to an application's events table (the complaints' unless told), as an intruder
with database access has."""

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from uuid import UUID

import psycopg
from psycopg import sql

from adapters.config import Settings


class StoredRows:
    def __init__(self, settings: Settings, log: str = "Complaints") -> None:
        self.settings = settings
        self.table = f"{log.lower()}_events"

    def _run(self, statement: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        if self.settings.store == "sqlite":
            with sqlite3.connect(self.settings.sqlite_path) as conn:
                return conn.execute(
                    statement.replace("%s", "?").replace("{table}", self.table).replace("notification_id", "rowid"),
                    params,
                ).fetchall()
        table = sql.Identifier(self.settings.postgres_schema, self.table).as_string(None)
        with psycopg.connect(self.settings.postgres_conninfo(), autocommit=True) as conn:
            cursor = conn.execute(statement.replace("{table}", table), params)  # type: ignore[arg-type]
            return cursor.fetchall() if cursor.description else []

    def _id(self, complaint_id: UUID) -> Any:
        return complaint_id.hex if self.settings.store == "sqlite" else complaint_id

    def state(self, complaint_id: UUID, version: int) -> dict[str, Any]:
        (row,) = self._run(
            "SELECT state FROM {table} WHERE originator_id = %s AND originator_version = %s",
            (self._id(complaint_id), version),
        )
        return json.loads(bytes(row[0]))

    def put_state(self, complaint_id: UUID, version: int, state: dict[str, Any]) -> None:
        self._run(
            "UPDATE {table} SET state = %s WHERE originator_id = %s AND originator_version = %s",
            (json.dumps(state, ensure_ascii=False).encode(), self._id(complaint_id), version),
        )

    def delete(self, complaint_id: UUID, version: int) -> None:
        self._run(
            "DELETE FROM {table} WHERE originator_id = %s AND originator_version = %s",
            (self._id(complaint_id), version),
        )

    def versions(self, aggregate_id: UUID) -> list[int]:
        rows = self._run(
            "SELECT originator_version FROM {table} WHERE originator_id = %s ORDER BY originator_version",
            (self._id(aggregate_id),),
        )
        return [int(row[0]) for row in rows]

    def delete_all(self) -> None:
        self._run("DELETE FROM {table}")

    def position(self, complaint_id: UUID, version: int) -> int:
        (row,) = self._run(
            "SELECT notification_id FROM {table} WHERE originator_id = %s AND originator_version = %s",
            (self._id(complaint_id), version),
        )
        return int(row[0])

    def swap_positions(self, first: int, second: int) -> None:
        for old, new in [(first, -1), (second, first), (-1, second)]:
            self._run("UPDATE {table} SET notification_id = %s WHERE notification_id = %s", (new, old))

    def insert(self, complaint_id: UUID, version: int, topic: str, state: dict[str, Any]) -> None:
        self._run(
            "INSERT INTO {table} (originator_id, originator_version, topic, state) VALUES (%s, %s, %s, %s)",
            (self._id(complaint_id), version, topic, json.dumps(state, ensure_ascii=False).encode()),
        )

    @contextmanager
    def write_locked(self) -> Iterator[None]:
        """Holds the table's write lock, as a long transaction would (SQLite's lock is the file's)."""
        if self.settings.store == "sqlite":
            holder = sqlite3.connect(self.settings.sqlite_path, isolation_level=None)
            try:
                holder.execute("BEGIN IMMEDIATE")
                yield
            finally:
                holder.close()
            return
        with psycopg.connect(self.settings.postgres_conninfo()) as holder:
            table = sql.Identifier(self.settings.postgres_schema, self.table)
            holder.execute(sql.SQL("LOCK TABLE {} IN EXCLUSIVE MODE").format(table))
            yield
            holder.rollback()
