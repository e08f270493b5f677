"""The reaction view: one row per complaint; figures and exact percentiles computed in SQL."""

from abc import abstractmethod
from collections.abc import Sequence
from datetime import datetime
from itertools import groupby
from typing import Any

from adapters.views.postgres import PostgresView
from adapters.views.rows import Insert, RowChange, Update
from adapters.views.sql import SQLView, within
from adapters.views.sqlite import SQLiteView
from application.projections.calendar import day_key, micros, month_key, week_key
from application.projections.reaction import (
    ClockStart,
    ClockStop,
    Dimension,
    Handover,
    Period,
    ReactionChange,
    ReactionFigures,
    ReactionQuery,
    ReactionView,
    Reply,
    percentile,
)

# One row per complaint, with the calendar buckets of its receipt fixed once.
FACTS = "facts"

_BUCKET = {Period.DAY: "day", Period.WEEK: "week", Period.MONTH: "month", Period.ALL: "CAST('all' AS TEXT)"}
_KEY = {
    Dimension.CHANNEL: "channel",
    Dimension.CATEGORY: "category",
    Dimension.ORGANISATION: "organisation",
    Dimension.NONE: "CAST(NULL AS TEXT)",
}
_SECOND = 1_000_000


class ReactionSQL(SQLView, ReactionView):
    prefix = "reaction"
    row_keys = {"facts": ("complaint_id",)}
    tables = ("facts",)

    def row_changes(self, change: ReactionChange) -> Sequence[RowChange]:
        match change:
            case ClockStart(complaint_id, received_at, channel, category, target, deadline):
                row = {
                    "complaint_id": str(complaint_id),
                    "received_at": micros(received_at),
                    "day": day_key(received_at),
                    "week": week_key(received_at),
                    "month": month_key(received_at),
                    "channel": channel,
                    "category": category,
                    "organisation": None,
                    "target_at": micros(target),
                    "deadline_at": micros(deadline),
                    "reacted_at": None,
                    "stopped_at": None,
                }
                return (Insert(FACTS, row),)
            case Handover(complaint_id, organisation):
                return (Update(FACTS, {"complaint_id": str(complaint_id)}, set={"organisation": organisation}),)
            case Reply(complaint_id, at):
                return (Update(FACTS, {"complaint_id": str(complaint_id)}, fill={"reacted_at": micros(at)}),)
            case ClockStop(complaint_id, at):
                return (Update(FACTS, {"complaint_id": str(complaint_id)}, fill={"stopped_at": micros(at)}),)
        raise TypeError(f"not a change of the reaction figures: {change!r}")

    def tables_ddl(self) -> list[str]:
        i = self.integer
        t = self.table("facts")
        return [
            f"CREATE TABLE IF NOT EXISTS {t} (complaint_id TEXT PRIMARY KEY, "
            f"received_at {i} NOT NULL, day TEXT NOT NULL, week TEXT NOT NULL, month TEXT NOT NULL, "
            f"channel TEXT NOT NULL, category TEXT, organisation TEXT, target_at {i} NOT NULL, "
            f"deadline_at {i} NOT NULL, reacted_at {i}, stopped_at {i})",
        ]

    def indexes_ddl(self) -> list[str]:
        return [f"CREATE INDEX IF NOT EXISTS {self.prefix}_by_received ON {self.table('facts')} (received_at)"]

    @abstractmethod
    def percentiles(
        self, bucket: str, key: str, where: str, params: dict[str, Any]
    ) -> dict[tuple[str, str | None], tuple[float, float]]:
        """The exact median and 90th percentile reaction (microseconds) of each group."""

    def figures(self, query: ReactionQuery, now: datetime) -> list[ReactionFigures]:
        bucket, key = _BUCKET[query.period], _KEY[query.by]
        params: dict[str, Any] = {"now": micros(now)}
        conditions = ["1 = 1", *within("received_at", query.received_from, query.received_before, params)]
        where = " AND ".join(conditions)
        facts = self.table("facts")
        counts = self.rows(
            f"SELECT {bucket} AS bucket, {key} AS key, COUNT(*) AS received, "
            f"SUM(CASE WHEN reacted_at IS NOT NULL THEN 1 ELSE 0 END) AS answered, "
            f"SUM(CASE WHEN reacted_at <= target_at THEN 1 ELSE 0 END) AS within_target, "
            f"SUM(CASE WHEN reacted_at <= deadline_at THEN 1 ELSE 0 END) AS within_norm, "
            f"SUM(CASE WHEN reacted_at IS NULL AND COALESCE(stopped_at, :now) > deadline_at "
            f"THEN 1 ELSE 0 END) AS unanswered_late, "
            f"SUM(CASE WHEN reacted_at IS NULL AND stopped_at IS NULL AND deadline_at < :now "
            f"THEN 1 ELSE 0 END) AS overdue_now "
            f"FROM {facts} WHERE {where} GROUP BY {bucket}, {key} ORDER BY {bucket}, {key}",
            params,
        )
        percentiles = self.percentiles(bucket, key, where, params)
        figures = []
        for row in counts:
            median, p90 = percentiles.get((row["bucket"], row["key"]), (None, None))
            figures.append(
                ReactionFigures(
                    bucket=row["bucket"],
                    key=row["key"],
                    received=row["received"],
                    answered=row["answered"],
                    decided=row["answered"] + row["unanswered_late"],
                    within_target=row["within_target"],
                    within_norm=row["within_norm"],
                    overdue_now=row["overdue_now"],
                    median_seconds=None if median is None else median / _SECOND,
                    p90_seconds=None if p90 is None else p90 / _SECOND,
                )
            )
        return figures


class SQLiteReactionView(ReactionSQL, SQLiteView):
    def percentiles(
        self, bucket: str, key: str, where: str, params: dict[str, Any]
    ) -> dict[tuple[str, str | None], tuple[float, float]]:
        # SQLite has no percentile function; its window functions are slower than reading
        # the ordered reactions once and picking the ranks here.
        rows = self.rows(
            f"SELECT {bucket} AS bucket, {key} AS key, reacted_at - received_at AS reaction "
            f"FROM {self.table('facts')} WHERE reacted_at IS NOT NULL AND {where} "
            f"ORDER BY {bucket}, {key}, reaction",
            params,
        )
        result = {}
        for group, members in groupby(rows, key=lambda row: (row["bucket"], row["key"])):
            ordered = [row["reaction"] for row in members]
            result[group] = (percentile(ordered, 1, 2), percentile(ordered, 9, 10))
        return result


class PostgresReactionView(ReactionSQL, PostgresView):
    def percentiles(
        self, bucket: str, key: str, where: str, params: dict[str, Any]
    ) -> dict[tuple[str, str | None], tuple[float, float]]:
        rows = self.rows(
            f"SELECT {bucket} AS bucket, {key} AS key, "
            f"percentile_cont(0.5) WITHIN GROUP (ORDER BY reacted_at - received_at) AS median, "
            f"percentile_cont(0.9) WITHIN GROUP (ORDER BY reacted_at - received_at) AS p90 "
            f"FROM {self.table('facts')} WHERE reacted_at IS NOT NULL AND {where} "
            f"GROUP BY {bucket}, {key}",
            params,
        )
        return {(row["bucket"], row["key"]): (row["median"], row["p90"]) for row in rows}
