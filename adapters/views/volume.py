"""The volume view: counters per month, measure and breakdown."""

from collections.abc import Sequence
from typing import Any

from adapters.views.postgres import PostgresView
from adapters.views.rows import Count, RowChange
from adapters.views.sql import SQLView, within
from adapters.views.sqlite import SQLiteView
from application.projections.calendar import month_key
from application.projections.volume import (
    Breakdown,
    Measure,
    Registration,
    Resolution,
    Tally,
    VolumeChange,
    VolumeView,
)

COUNTS = "counts"
# Counters without a breakdown, and breakdowns whose value is missing, use this label.
NO_LABEL = ""


def _count(month: str, measure: Measure, breakdown: Breakdown, label: str | None) -> Count:
    key = {"month": month, "measure": measure.value, "breakdown": breakdown.value, "label": label or NO_LABEL}
    return Count(COUNTS, key, add={"n": 1})


class VolumeSQL(SQLView, VolumeView):
    prefix = "volume"
    row_keys = {"counts": ("measure", "breakdown", "month", "label")}
    tables = ("counts",)

    def row_changes(self, change: VolumeChange) -> Sequence[RowChange]:
        match change:
            case Registration(at, category, district, channel):
                month = month_key(at)
                return (
                    _count(month, Measure.REGISTERED, Breakdown.ALL, None),
                    _count(month, Measure.REGISTERED, Breakdown.CATEGORY, category),
                    _count(month, Measure.REGISTERED, Breakdown.DISTRICT, district),
                    _count(month, Measure.REGISTERED, Breakdown.CHANNEL, channel),
                )
            case Resolution(at):
                return (_count(month_key(at), Measure.RESOLVED, Breakdown.ALL, None),)
        raise TypeError(f"not a change of the volumes: {change!r}")

    def tables_ddl(self) -> list[str]:
        return [
            f"CREATE TABLE IF NOT EXISTS {self.table('counts')} (month TEXT NOT NULL, "
            f"measure TEXT NOT NULL, breakdown TEXT NOT NULL, label TEXT NOT NULL, "
            f"n {self.integer} NOT NULL, PRIMARY KEY (measure, breakdown, month, label))",
        ]

    def tallies(
        self, measure: Measure, breakdown: Breakdown, first_month: str | None, last_month: str | None
    ) -> list[Tally]:
        params: dict[str, Any] = {"measure": measure.value, "breakdown": breakdown.value}
        conditions = [
            "measure = :measure",
            "breakdown = :breakdown",
            *within("month", first_month, last_month, params, end_included=True),
        ]
        rows = self.rows(
            f"SELECT month, label, n FROM {self.table('counts')} "
            f"WHERE {' AND '.join(conditions)} ORDER BY month, label",
            params,
        )
        return [Tally(row["month"], measure, breakdown, row["label"] or None, row["n"]) for row in rows]

    def months(self) -> tuple[str, str] | None:
        row = self.rows(
            f"SELECT MIN(month) AS first, MAX(month) AS last FROM {self.table('counts')} "
            f"WHERE measure = :measure AND breakdown = :breakdown",
            {"measure": Measure.REGISTERED.value, "breakdown": Breakdown.ALL.value},
        )[0]
        return None if row["first"] is None else (row["first"], row["last"])


class SQLiteVolumeView(VolumeSQL, SQLiteView):
    pass


class PostgresVolumeView(VolumeSQL, PostgresView):
    pass
