"""A batch's changes folded into fewer statements leave the tables exactly as the changes do."""

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from adapters.views.sql import folded
from application.projections.changes import Change, Count, Insert, InsertIfKnown, Update

KEYS = {"rows": ("id",), "counts": ("k",)}
Tables = dict[str, dict[tuple[Any, ...], dict[str, Any]]]


def applied(changes: list[Change]) -> Tables:
    """What an SQL store makes of the changes, one statement after another."""
    tables: Tables = {"rows": {}, "counts": {}}
    for change in changes:
        table = tables[change.table]
        match change:
            case Insert(name, row):
                key = tuple(row[c] for c in KEYS[name])
                assert key not in table, "a second insert of one row fails in the store"
                table[key] = {"a": None, "b": None, "n": 0, **row}
            case Update(_, where, set_, fill, add):
                for row in table.values():
                    if all(row.get(c) == v for c, v in where.items()):
                        row.update(set_)
                        row.update({c: v for c, v in fill.items() if row[c] is None})
                        row.update({c: None if row[c] is None else row[c] + v for c, v in add.items()})
            case InsertIfKnown(name, row, known_by):
                if any(all(kept.get(c) == row[c] for c in known_by) for kept in table.values()):
                    key = tuple(row[c] for c in KEYS[name])
                    assert key not in table, "a second insert of one row fails in the store"
                    table[key] = {"a": None, "b": None, "n": 0, **row}
            case Count(_, key, add):
                row = table.setdefault(tuple(key.values()), {**key, **{c: 0 for c in add}})
                for c, v in add.items():
                    row[c] += v
    return tables


ids = st.sampled_from(["c1", "c2", "c3"])
values = st.none() | st.integers(0, 3)
inserts = st.builds(
    lambda i, a, n: Insert("rows", {"id": i, "a": a, "b": None, "n": n}), ids, values, st.integers(0, 3)
)
by_key = st.builds(
    lambda i, s, f, add: Update("rows", {"id": i}, set=s, fill=f, add=add),
    ids,
    st.dictionaries(st.sampled_from(["a", "b"]), values, max_size=2),
    st.dictionaries(st.sampled_from(["a", "b"]), st.integers(0, 3), max_size=1),
    st.dictionaries(st.just("n"), st.integers(1, 3), max_size=1),
)
# Inserted only beside a row of the same "a": a later fact of something a view keeps.
if_known = st.builds(
    lambda i, a: InsertIfKnown("rows", {"id": i, "a": a, "b": None, "n": 0}, known_by=("a",)),
    st.sampled_from(["c1", "c2", "c3", "c4", "c5"]),
    values,
)
by_other = st.builds(lambda a, b: Update("rows", {"a": a}, set={"b": b}), values, values)
counts = st.builds(lambda k, n: Count("counts", {"k": k}, {"n": n}), st.sampled_from(["x", "y"]), st.integers(1, 5))
count_reset = st.builds(lambda k: Update("counts", {"k": k}, set={"n": 0}), st.sampled_from(["x", "y"]))


def _valid(changes: list[Change]) -> bool:
    seen = [tuple(c.row[k] for k in KEYS[c.table]) for c in changes if isinstance(c, Insert | InsertIfKnown)]
    return len(seen) == len(set(seen))


@given(st.lists(inserts | if_known | by_key | by_other | counts | count_reset, max_size=30).filter(_valid))
def test_folded_changes_leave_the_same_tables(changes: list[Change]) -> None:
    assert applied(folded(changes, KEYS)) == applied(changes)


def test_a_row_inserted_and_updated_in_one_batch_is_one_insert() -> None:
    changes: list[Change] = [
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
    changes: list[Change] = [
        Insert("rows", {"id": "c1", "a": 1, "b": None, "n": 0}),
        Update("rows", {"a": 1}, set={"b": 5}),
        Update("rows", {"id": "c1"}, set={"a": 2}),
    ]
    assert folded(changes, KEYS) == changes


def test_an_insert_beside_a_kept_row_ends_the_folding() -> None:
    changes: list[Change] = [
        Insert("rows", {"id": "c1", "a": 1, "b": None, "n": 0}),
        InsertIfKnown("rows", {"id": "c2", "a": 1, "b": None, "n": 0}, known_by=("a",)),
        Update("rows", {"id": "c1"}, set={"b": 2}),
    ]
    assert folded(changes, KEYS) == changes
