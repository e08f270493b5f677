"""The PostgreSQL dialect of the views: production, next to the event store in its schema."""

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from eventsourcing.persistence import DataError
from eventsourcing.postgres import PostgresTrackingRecorder
from psycopg import Cursor
from psycopg.sql import SQL

from adapters.views.rows import RowChange
from adapters.views.sql import SQLView, checked

_PARAMETER = re.compile(r"(?<![:\w]):([a-z_][a-z0-9_]*)")
# What the tables of a view rebuilt beside the live one are named after the live one's.
_BESIDE = "_next"


class PostgresView(SQLView, PostgresTrackingRecorder):
    integer = "BIGINT"
    upsert_alias = "target"
    unstorable_text = (DataError,)

    def __init__(self, *args: Any, building: bool = False, **kwargs: Any) -> None:
        self.building = building
        if building:  # beside the live view, in the same schema, under names of its own
            self.prefix = f"{self.prefix}{_BESIDE}"
        super().__init__(*args, **kwargs)
        own = [] if building else [self.rebuild_ddl()]
        self.sql_create_statements += [SQL(s) for s in (*own, *self.view_ddl())]  # type: ignore[arg-type]

    def table(self, name: str) -> str:
        return f'"{checked(self.datastore.schema)}"."{self.prefix}_{name}"'

    def statement(self, sql: str) -> str:
        return _PARAMETER.sub(r"%(\1)s", sql)

    @contextmanager
    def transaction(self, *, commit: bool) -> Iterator[Cursor[Any]]:
        with self.datastore.transaction(commit=commit) as cursor:
            yield cursor

    def tracking_table(self) -> str:
        return f'"{checked(self.datastore.schema)}"."{self.tracking_table_name}"'

    def dropped(self) -> list[str]:
        return [self.table(name) for name in self.tables]

    def analyze(self) -> list[str]:
        return [f"ANALYZE {self.table(name)}" for name in self.tables]

    def write(self, cursor: Cursor[Any], changes: Sequence[RowChange]) -> None:
        # Pipelined, a batch costs one round trip instead of one per statement.
        with cursor.connection.pipeline():
            super().write(cursor, changes)

    def close(self) -> None:
        if not self.building:  # the view rebuilt beside this one shares its connection pool
            super().close()

    # The rebuild beside the live view: tables of the same schema renamed into place.

    def open_beside(self) -> "PostgresView":
        view = type(self)(
            datastore=self.datastore, tracking_table_name=f"{self.tracking_table_name}{_BESIDE}", building=True
        )
        view.create_table()
        return view

    def remove_beside(self) -> None:
        schema = checked(self.datastore.schema)
        names = [f"{self.prefix}{_BESIDE}_{name}" for name in self.tables]
        with self.transaction(commit=True) as cursor:
            for name in (*names, f"{self.tracking_table_name}{_BESIDE}"):
                cursor.execute(f'DROP TABLE IF EXISTS "{schema}"."{checked(name)}"')

    def take_place_of_live(self, cursor: Cursor[Any], beside: SQLView) -> None:
        schema = checked(self.datastore.schema)
        names = [f"{self.prefix}_{name}" for name in self.tables]
        for name, live in zip(self.tables, names, strict=True):
            cursor.execute(f'ALTER TABLE {beside.table(name)} RENAME TO "{live}"')
        # Indexes keep their names through a rename; the next rebuild beside needs them free.
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE schemaname = %s AND tablename = ANY(%s)", (schema, names)
        )
        for row in cursor.fetchall():
            index = row["indexname"]
            if index.startswith(beside.prefix):
                renamed = self.prefix + index[len(beside.prefix) :]
                cursor.execute(f'ALTER INDEX "{schema}"."{checked(index)}" RENAME TO "{checked(renamed)}"')

    def beside_tracking_table(self, beside: SQLView) -> str:
        return beside.tracking_table()
