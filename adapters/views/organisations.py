"""The organisation view: one row per assignment, figures grouped per organisation in SQL."""

from collections.abc import Sequence
from typing import Any

from adapters.views.postgres import PostgresView
from adapters.views.rows import Insert, RowChange, Update
from adapters.views.sql import SQLView, within
from adapters.views.sqlite import SQLiteView
from application.projections.calendar import micros, month_key
from application.projections.organisations import (
    Assignment,
    OrganisationChange,
    OrganisationFigures,
    OrganisationView,
    Registration,
    Reopening,
    Resolution,
    Response,
)

# Each complaint's deadline, and one row per assignment; ``holding`` marks the current one.
COMPLAINTS, ASSIGNMENTS = "complaints", "assignments"


def _holding(complaint_id: str) -> dict[str, Any]:
    return {"complaint_id": complaint_id, "holding": 1}


class OrganisationSQL(SQLView, OrganisationView):
    prefix = "organisations"
    row_keys = {"complaints": ("complaint_id",), "assignments": ("complaint_id", "version")}
    tables = ("complaints", "assignments")

    def row_changes(self, change: OrganisationChange) -> Sequence[RowChange]:
        complaint_id = str(change.complaint_id)
        match change:
            case Registration(deadline=deadline):
                return (Insert(COMPLAINTS, {"complaint_id": complaint_id, "deadline_at": micros(deadline)}),)
            case Assignment(version=version, at=at, organisation=organisation, reassigning=reassigning):
                row = {
                    "complaint_id": complaint_id,
                    "version": version,
                    "organisation": organisation,
                    "month": month_key(at),
                    "holding": 1,
                    "responded_at": None,
                    "resolved": 0,
                    "reopened": 0,
                }
                released = (Update(ASSIGNMENTS, _holding(complaint_id), set={"holding": 0}),) if reassigning else ()
                return (*released, Insert(ASSIGNMENTS, row))
            case Response(at=at):
                return (Update(ASSIGNMENTS, _holding(complaint_id), fill={"responded_at": micros(at)}),)
            case Resolution():
                return (Update(ASSIGNMENTS, _holding(complaint_id), add={"resolved": 1}),)
            case Reopening():
                return (Update(ASSIGNMENTS, _holding(complaint_id), add={"reopened": 1}),)
        raise TypeError(f"not a change of the organisation figures: {change!r}")

    def tables_ddl(self) -> list[str]:
        i, a = self.integer, self.table("assignments")
        return [
            f"CREATE TABLE IF NOT EXISTS {self.table('complaints')} "
            f"(complaint_id TEXT PRIMARY KEY, deadline_at {i} NOT NULL)",
            f"CREATE TABLE IF NOT EXISTS {a} (complaint_id TEXT NOT NULL, version {i} NOT NULL, "
            f"organisation TEXT NOT NULL, month TEXT NOT NULL, holding {i} NOT NULL, "
            f"responded_at {i}, resolved {i} NOT NULL, reopened {i} NOT NULL, "
            f"PRIMARY KEY (complaint_id, version))",
        ]

    def indexes_ddl(self) -> list[str]:
        return [f"CREATE INDEX IF NOT EXISTS {self.prefix}_by_month ON {self.table('assignments')} (month)"]

    def figures(self, first_month: str | None, last_month: str | None) -> list[OrganisationFigures]:
        params: dict[str, Any] = {}
        conditions = ["1 = 1", *within("a.month", first_month, last_month, params, end_included=True)]
        rows = self.rows(
            f"SELECT a.organisation AS organisation, COUNT(*) AS assigned, "
            f"SUM(CASE WHEN a.responded_at IS NOT NULL THEN 1 ELSE 0 END) AS responded, "
            f"SUM(CASE WHEN a.responded_at <= c.deadline_at THEN 1 ELSE 0 END) AS within_norm, "
            f"SUM(a.resolved) AS resolved, SUM(a.reopened) AS reopened "
            f"FROM {self.table('assignments')} a JOIN {self.table('complaints')} c "
            f"ON c.complaint_id = a.complaint_id WHERE {' AND '.join(conditions)} "
            f"GROUP BY a.organisation ORDER BY COUNT(*) DESC, a.organisation",
            params,
        )
        return [
            OrganisationFigures(
                organisation=row["organisation"],
                assigned=row["assigned"],
                responded=row["responded"],
                responded_within_norm=row["within_norm"],
                resolved=int(row["resolved"]),
                reopened=int(row["reopened"]),
            )
            for row in rows
        ]


class SQLiteOrganisationView(OrganisationSQL, SQLiteView):
    pass


class PostgresOrganisationView(OrganisationSQL, PostgresView):
    pass
