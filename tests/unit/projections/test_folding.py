"""A batch's changes folded into fewer statements leave a real SQLite view's tables exactly as the
same changes written one statement each."""

from collections.abc import Iterator
from typing import Any
from uuid import uuid4

import pytest
from eventsourcing.sqlite import SQLiteDatastore
from hypothesis import example, given, settings
from hypothesis import strategies as st

from adapters.views.rows import Count, Insert, InsertIfKnown, RowChange, Update
from adapters.views.sql import folded
from adapters.views.sqlite import SQLiteView

KEYS = {"rows": ("id",), "counts": ("k",)}
Tables = dict[str, list[tuple[Any, ...]]]


class Rows(SQLiteView):
    """A view with one table of each kind the projections keep: rows by key, and counters."""

    prefix = "folding"
    tables = ("rows", "counts")
    row_keys = KEYS

    def row_changes(self, change: RowChange) -> tuple[RowChange]:
        return (change,)  # the tests write row changes themselves

    def tables_ddl(self) -> list[str]:
        return [
            f"CREATE TABLE IF NOT EXISTS {self.table('rows')} "
            "(id TEXT PRIMARY KEY, a INTEGER, b INTEGER DEFAULT 7, n INTEGER DEFAULT 0)",
            f"CREATE TABLE IF NOT EXISTS {self.table('counts')} (k TEXT PRIMARY KEY, n INTEGER NOT NULL)",
        ]


@pytest.fixture(scope="module")
def view() -> Iterator[Rows]:
    rows = Rows(SQLiteDatastore(f"file:folding-{uuid4().hex}?mode=memory&cache=shared"))
    rows.create_table()
    yield rows
    rows.close()


def stored(view: Rows, batches: list[list[RowChange]]) -> Tables:
    """The tables after the store has run each batch's statements (then rolled back)."""
    with view.transaction(commit=False) as cursor:
        for batch in batches:
            view.write(cursor, batch)
        tables = {}
        for table in view.tables:
            cursor.execute(f"SELECT * FROM {view.table(table)} ORDER BY 1")
            tables[table] = [tuple(row) for row in cursor.fetchall()]
        return tables


ids = st.sampled_from(["c1", "c2"])
values = st.none() | st.integers(0, 3)
# Some inserts leave "b" out, to take the table's default, which only the store knows.
inserts = st.builds(
    lambda i, a, n, with_b: Insert("rows", {"id": i, "a": a, **({"b": None} if with_b else {}), "n": n}),
    ids,
    values,
    values,
    st.booleans(),
)


def _one_statement(update: Update) -> bool:
    """Changes some column, each once: what one UPDATE can say (PostgreSQL refuses a column
    assigned twice; SQLite keeps the last assignment, computed from the old values)."""
    columns = [*update.set, *update.fill, *update.add]
    return len(set(columns)) == len(columns) > 0


by_key = st.builds(
    lambda i, s, f, add: Update("rows", {"id": i}, set=s, fill=f, add=add),
    ids,
    st.dictionaries(st.sampled_from(["a", "b"]), values, max_size=2),
    st.dictionaries(st.sampled_from(["a", "b"]), st.integers(0, 3), max_size=2),
    st.dictionaries(st.just("n"), st.integers(1, 3), max_size=1),
).filter(_one_statement)
# Inserted only beside a row of the same "a": a later fact of something a view keeps.
if_known = st.builds(
    lambda i, a: InsertIfKnown("rows", {"id": i, "a": a, "b": None, "n": 0}, known_by=("a",)),
    st.sampled_from(["c1", "c2", "c3", "c4"]),
    values,
)
by_other = st.builds(lambda a, b: Update("rows", {"a": a}, set={"b": b}), values, values)
counts = st.builds(lambda k, n: Count("counts", {"k": k}, {"n": n}), st.sampled_from(["x", "y"]), st.integers(1, 5))
count_reset = st.builds(lambda k: Update("counts", {"k": k}, set={"n": 0}), st.sampled_from(["x", "y"]))
# Updates by key are what folds, so they come most often.
change = st.one_of(inserts, if_known, by_key, by_key, by_key, by_other, counts, count_reset)


@st.composite
def batches(draw: st.DrawFn) -> list[RowChange]:
    """Changes in which each row is inserted at most once (a second insert fails in the store)."""
    batch: list[RowChange] = []
    inserted: set[tuple[str, tuple[Any, ...]]] = set()
    for drawn in draw(st.lists(change, min_size=4, max_size=30)):
        if isinstance(drawn, Insert | InsertIfKnown):
            key = (drawn.table, tuple(drawn.row[column] for column in KEYS[drawn.table]))
            if key in inserted:
                continue
            inserted.add(key)
        batch.append(drawn)
    return batch


def _row(id_: str, **values: Any) -> Insert:
    return Insert("rows", {"id": id_, **values})


def _by_key(id_: str, **columns: Any) -> Update:
    return Update("rows", {"id": id_}, **columns)


def _count(key: str, add: int) -> Count:
    return Count("counts", {"k": key}, {"n": add})


@settings(max_examples=300, deadline=None)
@given(batches())
# The edges of each folding rule, whatever the random batches reach: a fact already known stays;
# a column left out takes the table's default; nothing plus one is nothing; an update found by
# other columns, and one that could not fold, end the folding of the row; a reset ends a sum.
@example(changes=[_row("c1", a=1, n=0), _by_key("c1", fill={"a": 2})])
@example(changes=[_row("c1", a=1), _by_key("c1", fill={"b": 2})])
@example(changes=[_row("c1", n=None), _by_key("c1", add={"n": 1})])
@example(changes=[_row("c1", a=1, b=None, n=0), Update("rows", {"a": 1}, set={"b": 5}), _by_key("c1", set={"a": 2})])
@example(changes=[_row("c1", a=None, n=0), _by_key("c1", set={"a": 5, "b": 2}), _by_key("c1", set={"a": 7})])
@example(changes=[_count("x", 1), Update("counts", {"k": "x"}, set={"n": 0}), _count("x", 2)])
def test_folded_changes_leave_the_same_tables(view: Rows, changes: list[RowChange]) -> None:
    # One batch is folded; one batch per change has nothing to fold, so each is its own statement.
    assert stored(view, [changes]) == stored(view, [[change] for change in changes])


def test_a_row_inserted_and_updated_in_one_batch_is_one_insert() -> None:
    changes: list[RowChange] = [
        Insert("rows", {"id": "c1", "a": None, "b": None, "n": 0}),
        Update("rows", {"id": "c1"}, set={"a": 1}),
        Update("rows", {"id": "c1"}, fill={"b": 2}, add={"n": 1}),
        Update("rows", {"id": "c1"}, fill={"b": 3}),
        Count("counts", {"k": "x"}, {"n": 1}),
        Count("counts", {"k": "x"}, {"n": 2}),
    ]
    assert folded(changes, KEYS) == [
        Insert("rows", {"id": "c1", "a": 1, "b": 2, "n": 1}),
        Count("counts", {"k": "x"}, {"n": 3}),
    ]


def test_an_update_by_other_columns_ends_the_folding() -> None:
    changes: list[RowChange] = [
        Insert("rows", {"id": "c1", "a": 1, "b": None, "n": 0}),
        Update("rows", {"a": 1}, set={"b": 5}),
        Update("rows", {"id": "c1"}, set={"a": 2}),
    ]
    assert folded(changes, KEYS) == changes


def test_an_insert_beside_a_kept_row_ends_the_folding() -> None:
    changes: list[RowChange] = [
        Insert("rows", {"id": "c1", "a": 1, "b": None, "n": 0}),
        InsertIfKnown("rows", {"id": "c2", "a": 1, "b": None, "n": 0}, known_by=("a",)),
        Update("rows", {"id": "c1"}, set={"b": 2}),
    ]
    assert folded(changes, KEYS) == changes
