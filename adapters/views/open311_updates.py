"""The Open311 update view: one row per event of a request, read a page at a time by moment."""

from collections.abc import Sequence
from datetime import datetime

from adapters.views.postgres import PostgresView
from adapters.views.rows import Insert, InsertIfKnown, RowChange
from adapters.views.sql import SQLView
from adapters.views.sqlite import SQLiteView
from application.projections.calendar import micros, moment
from application.projections.open311_updates import Open311Update, Open311UpdateView, Step

UPDATES = "updates"


class Open311UpdateSQL(SQLView, Open311UpdateView):
    prefix = "open311_updates"
    row_keys = {"updates": ("complaint_id", "version")}
    tables = ("updates",)

    def row_changes(self, change: Step) -> Sequence[RowChange]:
        row = {
            "complaint_id": str(change.complaint_id),
            "version": change.version,
            "updated_at": micros(change.at),
            "status": change.status,
            "description": change.description,
        }
        if change.opening:
            return (Insert(UPDATES, row),)
        return (InsertIfKnown(UPDATES, row, known_by=("complaint_id",)),)

    def tables_ddl(self) -> list[str]:
        i = self.integer
        return [
            f"CREATE TABLE IF NOT EXISTS {self.table('updates')} (complaint_id TEXT NOT NULL, "
            f"version {i} NOT NULL, updated_at {i} NOT NULL, status TEXT NOT NULL, description TEXT NOT NULL, "
            f"PRIMARY KEY (complaint_id, version))",
        ]

    def indexes_ddl(self) -> list[str]:
        # The answer's order, so a page is read from the index without sorting the window.
        return [
            f"CREATE INDEX IF NOT EXISTS {self.prefix}_by_moment "
            f"ON {self.table('updates')} (updated_at, complaint_id, version)"
        ]

    def updates(self, start: datetime, end: datetime, *, limit: int, offset: int) -> list[Open311Update]:
        rows = self.rows(
            f"SELECT complaint_id, version, updated_at, status, description FROM {self.table('updates')} "
            f"WHERE updated_at >= :first AND updated_at <= :last "
            f"ORDER BY updated_at, complaint_id, version LIMIT :limit OFFSET :offset",
            {"first": micros(start), "last": micros(end), "limit": limit, "offset": offset},
        )
        return [
            Open311Update(
                complaint_id=row["complaint_id"],
                version=row["version"],
                updated_at=moment(row["updated_at"]),
                status=row["status"],
                description=row["description"],
            )
            for row in rows
        ]


class SQLiteOpen311UpdateView(Open311UpdateSQL, SQLiteView):
    pass


class PostgresOpen311UpdateView(Open311UpdateSQL, PostgresView):
    pass
