"""The SQLite dialect of the views: the embedded default (a file per view) and the in-memory store."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from eventsourcing.sqlite import SQLiteCursor, SQLiteDatastore, SQLiteTrackingRecorder

from adapters.views.sql import SQLView

# SQLite's default 2 MiB page cache makes index upkeep read from disk once a view outgrows it;
# a rebuild at a million complaints needs far more.
_PAGE_CACHE = "PRAGMA cache_size = -65536"  # KiB: 64 MiB per connection, used as it fills
# A view's rows and its position commit together, so a view needs no flush to disk at each
# commit (in WAL mode): a power cut can only lose the latest commits whole, and the projector
# applies those events again from the position that survived. The event store keeps the
# library's full flush, because there a 201 promises the complaint is on disk.
_SYNCHRONOUS = "PRAGMA synchronous = NORMAL"


class SQLiteView(SQLView, SQLiteTrackingRecorder):
    """A view in a file of its own; a rebuild fills a second file beside it
    (``NAME.rebuild.sqlite3``), whose rows are copied in when it takes the live view's place."""

    integer = "INTEGER"

    def __init__(self, datastore: SQLiteDatastore, *, building: bool = False, **kwargs: Any) -> None:
        self.building = building
        super().__init__(datastore, **kwargs)

    def construct_create_table_statements(self) -> list[str]:
        own = [] if self.building else [self.rebuild_ddl()]
        return [*super().construct_create_table_statements(), *own, *self.view_ddl()]

    def table(self, name: str) -> str:
        return f"{self.prefix}_{name}"

    def statement(self, sql: str) -> str:
        return sql

    @contextmanager
    def transaction(self, *, commit: bool) -> Iterator[SQLiteCursor]:
        with self.datastore.get_connection(commit=commit) as connection:
            self._configure(connection)
            with connection.transaction(commit=commit) as cursor:
                yield cursor

    @staticmethod
    def _configure(connection: Any) -> None:
        # Per connection, and outside a transaction, where SQLite allows changing them.
        pragmas = connection.cursor()
        pragmas.execute(_PAGE_CACHE)
        pragmas.execute(_SYNCHRONOUS)

    def tracking_table(self) -> str:
        return "tracking"

    def dropped(self) -> list[str]:
        return [self.table(name) for name in self.tables]

    def analyze(self) -> list[str]:
        return ["ANALYZE main"]  # the file holds this view only

    # The rebuild beside the live view.

    def _beside_name(self) -> str:
        name = str(self.datastore.pool.db_name)
        if "mode=memory" in name:  # a private in-memory database of the memory store
            path, _, query = name.partition("?")
            return f"{path}-rebuild?{query}"
        return str(Path(name).with_suffix(".rebuild.sqlite3"))

    def open_beside(self) -> "SQLiteView":
        datastore = SQLiteDatastore(self._beside_name(), lock_timeout=self.datastore.pool.lock_timeout)
        view = type(self)(datastore, building=True)
        view.create_table()
        return view

    def remove_beside(self) -> None:
        name = self._beside_name()
        if "mode=memory" not in name:  # an in-memory one is gone once closed
            for suffix in ("", "-wal", "-shm"):
                Path(name + suffix).unlink(missing_ok=True)

    @contextmanager
    def replacing(self, beside: SQLView) -> Iterator[SQLiteCursor]:
        # A database is attached outside a transaction; the copy then commits as one.
        with self.datastore.get_connection(commit=True) as connection:
            self._configure(connection)
            connection.cursor().execute("ATTACH DATABASE ? AS beside", (self._beside_name(),))
            try:
                with connection.transaction(commit=True) as cursor:
                    yield cursor
            finally:
                connection.cursor().execute("DETACH DATABASE beside")

    def take_place_of_live(self, cursor: Any, beside: SQLView) -> None:
        for statement in self.tables_ddl():
            cursor.execute(statement)
        cursor.execute("SELECT name FROM beside.sqlite_schema WHERE type = 'table'")
        filled = {row[0] for row in cursor.fetchall()}
        for name in self.tables:
            if beside.table(name) in filled:
                cursor.execute(f"INSERT INTO {self.table(name)} SELECT * FROM beside.{beside.table(name)}")

    def beside_tracking_table(self, beside: SQLView) -> str:
        return "beside.tracking"
