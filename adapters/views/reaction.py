"""The reaction view: one row per complaint, and tallies per Moscow day kept by the store.

A report over a month reads a month of the tallies (a row per day and key, and per day, key and
minute of reaction), not the month's complaints one by one, so the statistics page costs about
the same at a hundred or a hundred thousand complaints a month. The tallies are kept by
triggers on the complaints' rows, in the transaction that changes a row, whatever the batching
of those changes; a view rebuilt beside the live one fills them once from its rows when it takes
the live one's place, and a view created before the tallies existed fills them when it is
opened. Only the complaints whose clock still runs are read one by one: whether they are
overdue depends on the moment asked.
"""

from abc import abstractmethod
from collections.abc import Sequence
from datetime import datetime
from itertools import groupby
from operator import itemgetter
from typing import Any

from adapters.views.postgres import PostgresView
from adapters.views.rows import Insert, RowChange, Update
from adapters.views.sql import SQLView, checked, within
from adapters.views.sqlite import SQLiteView
from application.projections.calendar import day_key, local_day, micros, month_key, start_of_day, week_key
from application.projections.reaction import (
    BIN_MICROS,
    ClockStart,
    ClockStop,
    Dimension,
    Handover,
    Period,
    ReactionBin,
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
# The same buckets in the tallies, where a day is the start of a day's span.
_TALLY_BUCKET = {**_BUCKET, Period.DAY: "start"}
# Each dimension's key of a complaint's row; a missing value is the empty key (a key is part
# of the tallies' primary key, which holds no NULL), shown as None.
_KEY = {
    Dimension.NONE: "CAST('' AS TEXT)",
    Dimension.CHANNEL: "{row}channel",
    Dimension.CATEGORY: "COALESCE({row}category, '')",
    Dimension.ORGANISATION: "COALESCE({row}organisation, '')",
}
_DIMENSIONS = " UNION ALL ".join(
    f"SELECT '{d.value}'" + (" AS dimension" if n == 0 else "") for n, d in enumerate(Dimension)
)
_SPANS_AND_DIMENSIONS = f"({_DIMENSIONS}) AS d CROSS JOIN (SELECT 'day' AS span UNION ALL SELECT 'month') AS s"
_PLACE = "span, dimension, start, week, month, key"
_TALLIED = ("reacted_at", "stopped_at", "organisation")
_SECOND = 1_000_000


def _key(row: str) -> str:
    """The key of the complaint ``row`` (a record such as NEW, or a table alias) in each
    dimension of the joined list ``d``."""
    cases = " ".join(
        f"WHEN '{d.value}' THEN {expression.format(row=row + '.')}"
        for d, expression in _KEY.items()
        if d is not Dimension.NONE
    )
    return f"CASE d.dimension {cases} ELSE '' END"


def _placed(row: str, *, only_keys: bool = False) -> str:
    """Where the complaint ``row`` is tallied, in each span ``s`` and dimension ``d`` joined:
    the columns of _PLACE, or only those of the tallies' primary keys."""
    start = f"CASE s.span WHEN 'day' THEN {row}.day ELSE {row}.month END"
    if only_keys:
        return f"s.span, d.dimension, {start}, {_key(row)}"
    week = f"CASE s.span WHEN 'day' THEN {row}.week ELSE '' END"
    return f"s.span, d.dimension, {start}, {week}, {row}.month, {_key(row)}"


def _bin(reaction: str) -> str:
    """The bin (whole minutes, rounded down) of a reaction in microseconds."""
    r, width = f"({reaction})", BIN_MICROS
    return f"(CASE WHEN {r} >= 0 THEN {r} / {width} ELSE -((-{r} + {width - 1}) / {width}) END)"


class ReactionSQL(SQLView, ReactionView):
    prefix = "reaction"
    # What makes a table's rows stored in its primary key's order, where the dialect says so: a
    # report reads a range of days of the tallies.
    clustered: str = ""
    row_keys = {"facts": ("complaint_id",)}
    # The tallies are derived from the facts: a rebuild's empty ones are filled when it ends.
    tables = ("facts", "counts", "times")

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
        place = (
            "span TEXT NOT NULL, dimension TEXT NOT NULL, start TEXT NOT NULL, week TEXT NOT NULL, "
            "month TEXT NOT NULL, key TEXT NOT NULL"
        )
        return [
            f"CREATE TABLE IF NOT EXISTS {self.table('facts')} (complaint_id TEXT PRIMARY KEY, "
            f"received_at {i} NOT NULL, day TEXT NOT NULL, week TEXT NOT NULL, month TEXT NOT NULL, "
            f"channel TEXT NOT NULL, category TEXT, organisation TEXT, target_at {i} NOT NULL, "
            f"deadline_at {i} NOT NULL, reacted_at {i}, stopped_at {i})",
            # Per span (a day or a month, from its start), dimension and key: received, answered,
            # answered within the target and the norm, and stopped without an answer past the
            # norm (decided against it for good). A month's week is ''.
            f"CREATE TABLE IF NOT EXISTS {self.table('counts')} ({place}, received {i} NOT NULL, "
            f"answered {i} NOT NULL, within_target {i} NOT NULL, within_norm {i} NOT NULL, "
            f"stopped_late {i} NOT NULL, PRIMARY KEY (span, dimension, start, key)){self.clustered}",
            # Per span, dimension, key and minute of reaction: how many reactions, and their sum.
            f"CREATE TABLE IF NOT EXISTS {self.table('times')} ({place}, bin {i} NOT NULL, n {i} NOT NULL, "
            f"total {i} NOT NULL, PRIMARY KEY (span, dimension, start, key, bin)){self.clustered}",
        ]

    def indexes_ddl(self) -> list[str]:
        p, facts = self.prefix, self.table("facts")
        return [
            f"CREATE INDEX IF NOT EXISTS {p}_by_received ON {facts} (received_at)",
            f"CREATE INDEX IF NOT EXISTS {p}_running ON {facts} (deadline_at) "
            f"WHERE reacted_at IS NULL AND stopped_at IS NULL",
        ]

    # The tallies.

    @abstractmethod
    def triggers_ddl(self, inserted: list[str], updated: list[str], changed: Sequence[str]) -> list[str]:
        """Statements creating the triggers that run ``inserted`` after a row of the facts is
        inserted and ``updated`` after one of the ``changed`` columns of a row changes value
        (statements naming the row as NEW, and OLD before the update)."""

    def derived_ddl(self) -> list[str]:
        tally = [*self._tally("NEW", 1)]
        retally = [*self._tally("OLD", -1), *tally, *self._without_empty("OLD")]
        # Created and filled in one transaction: no change can slip between the two.
        return [*self.triggers_ddl(tally, retally, _TALLIED), *self._fill()]

    def _tally(self, row: str, sign: int) -> list[str]:
        """Adds (sign 1) or takes back (-1) the complaint ``row`` in its tallies: its day's and its
        month's, in each dimension."""
        alias = f" AS {self.upsert_alias}" if self.upsert_alias else ""
        target = f"{self.upsert_alias}." if self.upsert_alias else ""
        reaction = f"{row}.reacted_at - {row}.received_at"

        def counted(condition: str) -> str:
            return f"CASE WHEN {condition} THEN {sign} ELSE 0 END"

        return [
            f"INSERT INTO {self.table('counts')}{alias} ({_PLACE}, received, answered, "
            f"within_target, within_norm, stopped_late) "
            f"SELECT {_placed(row)}, {sign}, "
            f"{counted(f'{row}.reacted_at IS NOT NULL')}, {counted(f'{row}.reacted_at <= {row}.target_at')}, "
            f"{counted(f'{row}.reacted_at <= {row}.deadline_at')}, "
            f"{counted(f'{row}.reacted_at IS NULL AND {row}.stopped_at > {row}.deadline_at')} "
            f"FROM {_SPANS_AND_DIMENSIONS} WHERE 1 = 1 "
            f"ON CONFLICT (span, dimension, start, key) DO UPDATE SET "
            + ", ".join(
                f"{c} = {target}{c} + excluded.{c}"
                for c in ("received", "answered", "within_target", "within_norm", "stopped_late")
            ),
            f"INSERT INTO {self.table('times')}{alias} ({_PLACE}, bin, n, total) "
            f"SELECT {_placed(row)}, {_bin(reaction)}, {sign}, {sign} * ({reaction}) "
            f"FROM {_SPANS_AND_DIMENSIONS} WHERE {row}.reacted_at IS NOT NULL "
            f"ON CONFLICT (span, dimension, start, key, bin) DO UPDATE SET "
            f"n = {target}n + excluded.n, total = {target}total + excluded.total",
        ]

    def _without_empty(self, row: str) -> list[str]:
        """Removes the tallies that taking back ``row`` left empty, so that tallies kept
        change by change equal those filled at once."""
        found = f"(span, dimension, start, key) IN (SELECT {_placed(row, only_keys=True)} FROM {_SPANS_AND_DIMENSIONS})"
        return [
            f"DELETE FROM {self.table('counts')} WHERE received = 0 AND {found}",
            f"DELETE FROM {self.table('times')} WHERE n = 0 "
            f"AND bin = {_bin(f'{row}.reacted_at - {row}.received_at')} AND {found}",
        ]

    def _fill(self) -> list[str]:
        """The tallies of every row at once, if they are empty (a rebuild's, or a view's from
        before the tallies): they are never empty while the facts hold a row."""
        facts, counts = self.table("facts"), self.table("counts")
        reaction = "f.reacted_at - f.received_at"
        placed = _placed("f")

        def counted(condition: str) -> str:
            return f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)"

        empty = f"NOT EXISTS (SELECT 1 FROM {counts})"
        every = f"{facts} AS f CROSS JOIN {_SPANS_AND_DIMENSIONS}"
        return [
            # The reaction times first, while the counts still say whether the tallies are empty.
            f"INSERT INTO {self.table('times')} ({_PLACE}, bin, n, total) "
            f"SELECT {placed}, {_bin(reaction)}, COUNT(*), SUM({reaction}) "
            f"FROM {every} WHERE f.reacted_at IS NOT NULL AND {empty} GROUP BY {placed}, {_bin(reaction)}",
            f"INSERT INTO {counts} ({_PLACE}, received, answered, within_target, within_norm, stopped_late) "
            f"SELECT {placed}, COUNT(*), {counted('f.reacted_at IS NOT NULL')}, "
            f"{counted('f.reacted_at <= f.target_at')}, {counted('f.reacted_at <= f.deadline_at')}, "
            f"{counted('f.reacted_at IS NULL AND f.stopped_at > f.deadline_at')} "
            f"FROM {every} WHERE {empty} GROUP BY {placed}",
        ]

    # The figures.

    def figures(self, query: ReactionQuery, now: datetime) -> list[ReactionFigures]:
        bucket = _TALLY_BUCKET[query.period]
        params: dict[str, Any] = {"dimension": query.by.value}
        spans = " AND ".join(["span = :span", "dimension = :dimension", *_spans(query, params)])
        total = f"CAST(SUM({{}}) AS {self.integer})"
        counts = self.rows(
            f"SELECT {bucket} AS bucket, key, "
            + ", ".join(
                f"{total.format(c)} AS {c}"
                for c in ("received", "answered", "within_target", "within_norm", "stopped_late")
            )
            + f" FROM {self.table('counts')} WHERE {spans} GROUP BY {bucket}, key ORDER BY {bucket}, key",
            params,
        )
        times = self.rows(
            f"SELECT {bucket} AS bucket, key, bin, {total.format('n')} AS n, {total.format('total')} AS total "
            f"FROM {self.table('times')} WHERE {spans} GROUP BY {bucket}, key, bin ORDER BY {bucket}, key, bin",
            params,
        )
        bins = {
            group: [ReactionBin(row["bin"], row["n"], row["total"]) for row in rows]
            for group, rows in groupby(times, key=itemgetter("bucket", "key"))
        }
        overdue = self._overdue(query, _BUCKET[query.period], now)
        figures = []
        for row in counts:
            group = (row["bucket"], row["key"])
            late = overdue.get(group, 0)
            answered = bins.get(group)
            figures.append(
                ReactionFigures(
                    bucket=row["bucket"],
                    key=row["key"] or None,
                    received=row["received"],
                    answered=row["answered"],
                    decided=row["answered"] + row["stopped_late"] + late,
                    within_target=row["within_target"],
                    within_norm=row["within_norm"],
                    overdue_now=late,
                    median_seconds=percentile(answered, 1, 2) / _SECOND if answered else None,
                    p90_seconds=percentile(answered, 9, 10) / _SECOND if answered else None,
                )
            )
        return figures

    def overdue(self, by: Dimension, now: datetime) -> dict[str | None, int]:
        late = self._overdue(ReactionQuery(Period.ALL, by), _BUCKET[Period.ALL], now)
        return {key or None: n for (_, key), n in late.items()}

    def _overdue(self, query: ReactionQuery, bucket: str, now: datetime) -> dict[tuple[str, str], int]:
        """Complaints whose clock runs past the norm at ``now``, per bucket and key: the running
        clocks are few, and an index holds them apart."""
        key = _KEY[query.by].format(row="")
        params: dict[str, Any] = {"now": micros(now)}
        conditions = [
            "reacted_at IS NULL AND stopped_at IS NULL AND deadline_at < :now",
            *within("received_at", query.received_from, query.received_before, params),
        ]
        rows = self.rows(
            f"SELECT {bucket} AS bucket, {key} AS key, COUNT(*) AS n FROM {self.table('facts')} "
            f"WHERE {' AND '.join(conditions)} GROUP BY {bucket}, {key}",
            params,
        )
        return {(row["bucket"], row["key"]): row["n"] for row in rows}


def _spans(query: ReactionQuery, params: dict[str, Any]) -> list[str]:
    """Which tallies answer the query: the months', where its buckets and range are whole
    months, else the days'."""
    bounds = [query.received_from, query.received_before]
    for moment_ in bounds:
        if moment_ is not None and start_of_day(local_day(moment_)) != moment_:
            raise ValueError(f"the figures are kept per Moscow day, and {moment_} does not start one")
    whole_months = query.period in (Period.MONTH, Period.ALL) and all(
        moment_ is None or local_day(moment_).day == 1 for moment_ in bounds
    )
    params["span"] = "month" if whole_months else "day"
    key = month_key if whole_months else day_key
    start, end = (None if moment_ is None else key(moment_) for moment_ in bounds)
    return within("start", start, end, params)


class SQLiteReactionView(ReactionSQL, SQLiteView):
    clustered = " WITHOUT ROWID"

    def triggers_ddl(self, inserted: list[str], updated: list[str], changed: Sequence[str]) -> list[str]:
        facts, p = self.table("facts"), self.prefix
        when = " OR ".join(f"OLD.{checked(c)} IS NOT NEW.{c}" for c in changed)
        return [
            f"CREATE TRIGGER IF NOT EXISTS {p}_tally_insert AFTER INSERT ON {facts} BEGIN {'; '.join(inserted)}; END",
            f"CREATE TRIGGER IF NOT EXISTS {p}_tally_update AFTER UPDATE OF {', '.join(changed)} ON {facts} "
            f"WHEN {when} BEGIN {'; '.join(updated)}; END",
        ]


class PostgresReactionView(ReactionSQL, PostgresView):
    def triggers_ddl(self, inserted: list[str], updated: list[str], changed: Sequence[str]) -> list[str]:
        schema, p, facts = checked(self.datastore.schema), checked(self.prefix), self.table("facts")
        when = " OR ".join(f"OLD.{checked(c)} IS DISTINCT FROM NEW.{c}" for c in changed)
        functions = []
        for name, statements in (("insert", inserted), ("update", updated)):
            functions.append(
                f'CREATE OR REPLACE FUNCTION "{schema}"."{p}_tally_{name}"() RETURNS trigger LANGUAGE plpgsql '
                f"AS $tally$ BEGIN {'; '.join(statements)}; RETURN NULL; END $tally$"
            )
        return [
            *functions,
            f'CREATE OR REPLACE TRIGGER "{p}_tally_insert" AFTER INSERT ON {facts} '
            f'FOR EACH ROW EXECUTE FUNCTION "{schema}"."{p}_tally_insert"()',
            f'CREATE OR REPLACE TRIGGER "{p}_tally_update" AFTER UPDATE OF {", ".join(changed)} ON {facts} '
            f'FOR EACH ROW WHEN ({when}) EXECUTE FUNCTION "{schema}"."{p}_tally_update"()',
        ]
