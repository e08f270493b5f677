"""The PostgreSQL dialect of the views: production, next to the event store in its schema."""

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from eventsourcing.persistence import DataError
from eventsourcing.postgres import PostgresTrackingRecorder
from psycopg import Cursor
from psycopg.sql import SQL

from adapters.views.sql import SQLView, checked
from application.projections.changes import Change

_PARAMETER = re.compile(r"(?<![:\w]):([a-z_][a-z0-9_]*)")


class PostgresView(SQLView, PostgresTrackingRecorder):
    integer = "BIGINT"
    upsert_alias = "target"
    unstorable_text = (DataError,)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sql_create_statements += [SQL(s) for s in (self.rebuild_ddl(), *self.view_ddl())]  # type: ignore[arg-type]

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

    def write(self, cursor: Cursor[Any], changes: Sequence[Change]) -> None:
        # Pipelined, a batch costs one round trip instead of one per statement.
        with cursor.connection.pipeline():
            super().write(cursor, changes)
