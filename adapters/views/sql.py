"""What the SQLite and PostgreSQL views share: writing changes, positions and rebuilds.

Each view turns the changes its projection names (in the view's terms) into row changes of
its tables (rows.py), which are folded and written here. Statements are written once with
``:name`` parameters; each dialect translates them and supplies its own table names and DDL.
A view's tables are named after its projection, and each view has its own tracking table (a
file of its own in SQLite, a table of its own in PostgreSQL), so the views never share a
position.
"""

import re
from abc import abstractmethod
from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from functools import cached_property
from typing import Any, ClassVar

from eventsourcing.persistence import Tracking

from adapters.views.rows import Count, Insert, InsertIfKnown, RowChange, Update, legible_rows
from application.projections.calendar import micros
from application.projections.view import PositionMoved, View

_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")
_MIGRATION_ROW = "__migration__"


def checked(identifier: str) -> str:
    if not _IDENTIFIER.match(identifier):
        raise ValueError(f"not a plain SQL identifier: {identifier!r}")
    return identifier


def within(column: str, start: Any, end: Any, params: dict[str, Any], *, end_included: bool = False) -> list[str]:
    """Conditions keeping ``column`` at or after ``start`` and before ``end`` (or at it, with
    ``end_included``); a bound that is None leaves that side open. Moments are stored as microseconds."""
    conditions = []
    for name, value, operator in (("range_start", start, ">="), ("range_end", end, "<=" if end_included else "<")):
        if value is not None:
            conditions.append(f"{column} {operator} :{name}")
            params[name] = micros(value) if isinstance(value, datetime) else value
    return conditions


class SQLView(View):
    """A view in an SQL database; concrete classes mix in the library's tracking recorder."""

    # The projection's name: the prefix of the view's tables.
    prefix: ClassVar[str]
    # The view's own tables (logical names), dropped and recreated on a rebuild.
    tables: ClassVar[tuple[str, ...]]
    # The type of integer columns (moments in microseconds overflow 32 bits).
    integer: ClassVar[str]
    # Upserted counters in PostgreSQL must name the target row; SQLite names it implicitly.
    upsert_alias: ClassVar[str] = ""
    # Each table's primary key, as its DDL declares it: what lets a batch's changes to one row
    # be folded into one statement.
    row_keys: ClassVar[Mapping[str, tuple[str, ...]]] = {}
    # What the driver raises for a text the store cannot hold (PostgreSQL's text holds no NUL).
    unstorable_text: ClassVar[tuple[type[Exception], ...]] = ()

    # The view's part.

    @abstractmethod
    def row_changes(self, change: Any) -> Sequence[RowChange]:
        """What one change its projection names does to the view's tables."""

    # The dialect's part.

    @abstractmethod
    def table(self, name: str) -> str:
        """The physical, quoted name of one of the view's logical tables."""

    @abstractmethod
    def statement(self, sql: str) -> str:
        """Translates ``:name`` parameters to the driver's style."""

    @abstractmethod
    def transaction(self, *, commit: bool) -> AbstractContextManager[Any]: ...

    @abstractmethod
    def tables_ddl(self) -> list[str]:
        """The statements creating the view's own tables (idempotent)."""

    def derived_ddl(self) -> list[str]:
        """The statements creating what the store keeps derived from the tables' rows, row by
        row (a text search, tallies), idempotent."""
        return []

    def derived_fill(self) -> list[str]:
        """The statements filling what derived_ddl created from the tables' rows at once, where
        its statements leave that to the caller."""
        return []

    def indexes_ddl(self) -> list[str]:
        """The statements creating the secondary indexes (idempotent). A view rebuilt beside
        the live one gets them, and what derived_ddl keeps, once when it takes the live one's place,
        which costs a fraction of keeping them up to date row by row."""
        return []

    @abstractmethod
    def dropped(self) -> list[str]:
        """Every physical table to drop before recreating the view."""

    @abstractmethod
    def tracking_table(self) -> str: ...

    @abstractmethod
    def analyze(self) -> list[str]:
        """Statements refreshing the planner's statistics of the view's tables."""

    @abstractmethod
    def open_beside(self) -> "SQLView":
        """Opens the view that a rebuild fills beside this one, holding only its tables and
        its position (created if missing)."""

    @abstractmethod
    def remove_beside(self) -> None:
        """Removes whatever a rebuild beside this view left (tables, a file); it is closed."""

    def replacing(self, beside: "SQLView") -> AbstractContextManager[Any]:
        """The transaction in which ``beside`` takes this view's place."""
        return self.transaction(commit=True)

    @abstractmethod
    def take_place_of_live(self, cursor: Any, beside: "SQLView") -> None:
        """Within the caller's transaction: the live tables are gone and the rows of ``beside``
        take their names; what derived_ddl keeps and the indexes are the caller's."""

    @abstractmethod
    def beside_tracking_table(self, beside: "SQLView") -> str:
        """The name, as this view's connection reaches it, of the beside view's tracking table."""

    # What both dialects do the same way.

    # A view being rebuilt beside the live one: tables only, filled as fast as they can be.
    building: bool = False
    _beside: "SQLView | None" = None

    def view_ddl(self) -> list[str]:
        if self.building:
            return self.tables_ddl()
        return [*self.tables_ddl(), *self.derived_ddl(), *self.indexes_ddl()]

    def rebuild_ddl(self) -> str:
        return f"CREATE TABLE IF NOT EXISTS {self.table('rebuild')} (pending INTEGER NOT NULL)"

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> list[Mapping[str, Any]]:
        with self.transaction(commit=False) as cursor:
            cursor.execute(self.statement(sql), params or {})
            return list(cursor.fetchall())

    def apply(self, changes: Sequence[Any], tracking: Tracking, *, after: int | None = None) -> None:
        row_changes = self.row_changes
        rows = [row for change in changes for row in row_changes(change)]
        try:
            self._apply(rows, tracking, after)
        except self.unstorable_text:
            # Events recorded before the domain refused such characters (domain/text.py) still
            # hold them: the view shows them replaced instead of stopping on them for ever.
            self._apply(legible_rows(rows), tracking, after)

    def _apply(self, changes: Sequence[RowChange], tracking: Tracking, after: int | None) -> None:
        # The library's recorders read and write the tracking within a caller's transaction only
        # through their protected _max_tracking_id and _insert_tracking (its searchablecontent
        # example's recorder does the same); the public ones open a transaction of their own.
        with self.transaction(commit=True) as cursor:
            self.write(cursor, changes)
            # Checked after the writes, which took the write lock, so no other writer can
            # move the position between this check and the commit.
            if after is not None:
                stored = self._max_tracking_id(tracking.application_name, cursor) or 0
                if stored != after:
                    raise PositionMoved(self.prefix, after, stored)
            self._insert_tracking(cursor, tracking)

    def write(self, cursor: Any, changes: Sequence[RowChange]) -> None:
        for sql, params in self._grouped(folded(changes, self.row_keys)):
            if len(params) == 1:
                cursor.execute(sql, params[0])
            else:
                cursor.executemany(sql, params)

    def begin_rebuild(self) -> None:
        self.discard_beside()
        self.beside()
        with self.transaction(commit=True) as cursor:
            cursor.execute(f"DELETE FROM {self.table('rebuild')}")
            cursor.execute(f"INSERT INTO {self.table('rebuild')} (pending) VALUES (1)")

    def rebuilding(self) -> bool:
        return bool(self.rows(f"SELECT COUNT(*) AS n FROM {self.table('rebuild')}")[0]["n"])

    def beside(self) -> "SQLView":
        if self._beside is None:
            self._beside = self.open_beside()
        return self._beside

    def discard_beside(self) -> None:
        if self._beside is not None:
            self._beside.close()
            self._beside = None
        self.remove_beside()

    def end_rebuild(self) -> None:
        """One transaction: readers see the old rows until it commits and the new ones after."""
        beside = self.beside()
        with self.replacing(beside) as cursor:
            for table in self.dropped():
                cursor.execute(f"DROP TABLE IF EXISTS {table}")
            self.take_place_of_live(cursor, beside)
            for statement in (*self.derived_ddl(), *self.derived_fill(), *self.indexes_ddl(), *self.analyze()):
                cursor.execute(statement)
            keep = {"keep": _MIGRATION_ROW}
            tracking = self.tracking_table()
            cursor.execute(self.statement(f"DELETE FROM {tracking} WHERE application_name <> :keep"), keep)
            cursor.execute(
                self.statement(
                    f"INSERT INTO {tracking} (application_name, notification_id) "
                    f"SELECT application_name, MAX(notification_id) FROM {self.beside_tracking_table(beside)} "
                    f"WHERE application_name <> :keep GROUP BY application_name"
                ),
                keep,
            )
            cursor.execute(f"DELETE FROM {self.table('rebuild')}")
        self.discard_beside()

    def close(self) -> None:
        if self._beside is not None:
            self._beside.close()
            self._beside = None
        self.datastore.close()  # type: ignore[attr-defined]

    # Statements for changes, built once per shape.

    def _grouped(self, changes: Sequence[RowChange]) -> Iterator[tuple[str, list[Mapping[str, Any]]]]:
        """Consecutive changes of one shape become one executemany, keeping their order."""
        current: str | None = None
        batch: list[Mapping[str, Any]] = []
        for change in changes:
            sql, params = self.compiled(change)
            if sql != current and batch:
                yield current, batch  # type: ignore[misc]
                batch = []
            current = sql
            batch.append(params)
        if batch:
            yield current, batch  # type: ignore[misc]

    @cached_property
    def _statements(self) -> dict[tuple[Any, ...], str]:
        return {}

    def compiled(self, change: RowChange) -> tuple[str, Mapping[str, Any]]:
        """The statement of one row change, in the driver's style, and its parameters."""
        match change:
            case Insert(table, row):
                shape: tuple[Any, ...] = ("insert", table, tuple(row))
                params: Mapping[str, Any] = row
            case Update(table, where, set_, fill, add):
                shape = ("update", table, tuple(where), tuple(set_), tuple(fill), tuple(add))
                params = {
                    **_prefixed("w_", where),
                    **_prefixed("s_", set_),
                    **_prefixed("f_", fill),
                    **_prefixed("a_", add),
                }
            case Count(table, key, add):
                shape = ("count", table, tuple(key), tuple(add))
                params = {**key, **add}
            case InsertIfKnown(table, row, known_by):
                shape = ("insert_if_known", table, tuple(row), known_by)
                params = row
            case _:
                raise TypeError(f"not a change: {change!r}")
        sql = self._statements.get(shape)
        if sql is None:
            sql = self._statements[shape] = self.statement(self._sql(change))
        return sql, params

    def _sql(self, change: RowChange) -> str:
        match change:
            case Insert(table, row):
                columns = ", ".join(checked(c) for c in row)
                values = ", ".join(f":{c}" for c in row)
                return f"INSERT INTO {self.table(table)} ({columns}) VALUES ({values})"
            case Update(table, where, set_, fill, add):
                assignments = [f"{checked(c)} = :s_{c}" for c in set_]
                assignments += [f"{checked(c)} = COALESCE({c}, :f_{c})" for c in fill]
                assignments += [f"{checked(c)} = {c} + :a_{c}" for c in add]
                condition = " AND ".join(f"{checked(c)} = :w_{c}" for c in where)
                return f"UPDATE {self.table(table)} SET {', '.join(assignments)} WHERE {condition}"
            case Count(table, key, add):
                columns = [checked(c) for c in (*key, *add)]
                target = f"{self.upsert_alias}." if self.upsert_alias else ""
                alias = f" AS {self.upsert_alias}" if self.upsert_alias else ""
                increments = ", ".join(f"{c} = {target}{c} + excluded.{c}" for c in add)
                return (
                    f"INSERT INTO {self.table(table)}{alias} ({', '.join(columns)}) "
                    f"VALUES ({', '.join(':' + c for c in columns)}) "
                    f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET {increments}"
                )
            case InsertIfKnown(table, row, known_by):
                columns = ", ".join(checked(c) for c in row)
                values = ", ".join(f":{c}" for c in row)
                known = " AND ".join(f"{checked(c)} = :{c}" for c in known_by)
                return (
                    f"INSERT INTO {self.table(table)} ({columns}) SELECT {values} "
                    f"WHERE EXISTS (SELECT 1 FROM {self.table(table)} WHERE {known})"
                )
            case _:
                raise TypeError(f"not a change: {change!r}")


def folded(changes: Sequence[RowChange], row_keys: Mapping[str, tuple[str, ...]]) -> list[RowChange]:
    """The same changes in fewer statements: an update of a row inserted earlier in the batch,
    found by its primary key, is made to the inserted row instead, and counts added to one key
    are summed. A rebuild's batch holds several events of each complaint, and a statement
    costs the store far more than the folding costs here.

    A change that may touch other rows of the table (an update found by other columns, a
    count among rows, an insert that depends on them) ends the folding for that table, so no
    change jumps over one it could depend on; changes to other rows by their primary key
    cannot interfere, and do not.
    Each table's changes come out together, in their order, so that a run of one statement
    shape is one ``executemany``: no statement of a view reads another of its tables.
    """
    by_table: dict[str, list[RowChange]] = {}
    # Per table: the rows inserted in this batch that later updates may still fold into, and
    # the counts still being summed.
    rows: dict[str, dict[tuple[Any, ...], dict[str, Any]]] = {}
    counts: dict[str, dict[tuple[Any, ...], dict[str, int]]] = {}
    key_sets = {table: frozenset(key) for table, key in row_keys.items()}

    for change in changes:
        table = change.table
        out = by_table.setdefault(table, [])
        if isinstance(change, Count):
            rows.pop(table, None)
            found = (tuple(change.key.items()), tuple(change.add))
            summed = counts.setdefault(table, {})
            total = summed.get(found)
            if total is None:
                total = summed[found] = dict(change.add)
                out.append(Count(table, change.key, total))
            else:
                for column, value in change.add.items():
                    total[column] += value
            continue
        counts.pop(table, None)
        key = row_keys.get(table)
        if isinstance(change, Insert):
            row = dict(change.row)
            out.append(Insert(table, row))
            if key and all(column in row for column in key):
                rows.setdefault(table, {})[tuple(row[column] for column in key)] = row
            continue
        if isinstance(change, Update) and key and change.where.keys() == key_sets[table]:
            inserted = rows.get(table, {})
            found_row = tuple(change.where[column] for column in key)
            row = inserted.get(found_row)
            touched = {*change.set, *change.fill, *change.add}
            # Columns left out of the insert take their defaults, which only the store knows.
            if row is not None and touched.isdisjoint(key) and row.keys() >= touched:
                row.update(change.set)
                row.update({c: v for c, v in change.fill.items() if row[c] is None})
                row.update({c: None if row[c] is None else row[c] + v for c, v in change.add.items()})
            else:
                inserted.pop(found_row, None)  # later changes of this row follow this statement
                out.append(change)
            continue
        rows.pop(table, None)
        out.append(change)
    return [change for out in by_table.values() for change in out]


def _prefixed(prefix: str, values: Mapping[str, Any]) -> dict[str, Any]:
    return {prefix + name: value for name, value in values.items()}
