"""Row changes in plain values, applied in order: what each view adapter turns the changes of
its projection (in the view's own terms, application/projections/) into before writing them.

One SQL writer serves every view and store: it folds a batch's row changes into few
statements, so the changes of many events are written in one transaction together with the
position of the last of them (a rebuild's batches).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from domain.text import legible


@dataclass(frozen=True, slots=True)
class Insert:
    table: str
    row: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Update:
    """Changes the rows matching ``where``: ``set`` overwrites, ``fill`` writes only where the
    column is still null (a first-time fact), ``add`` increments a counter."""

    table: str
    where: Mapping[str, Any]
    set: Mapping[str, Any] = field(default_factory=dict)
    fill: Mapping[str, Any] = field(default_factory=dict)
    add: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Count:
    """Adds to the counters of the row with this key, creating the row at zero first."""

    table: str
    key: Mapping[str, Any]
    add: Mapping[str, int]


@dataclass(frozen=True, slots=True)
class InsertIfKnown:
    """Inserts the row only if the table already holds a row with the same values in the
    ``known_by`` columns: a later fact about something the view began keeping at an earlier
    event, when the later event itself does not say whether the view keeps it."""

    table: str
    row: Mapping[str, Any]
    known_by: tuple[str, ...]


RowChange = Insert | Update | Count | InsertIfKnown


def legible_rows(changes: Sequence[RowChange]) -> list[RowChange]:
    """The same row changes with every text value made legible (domain/text.py): what a view writes
    of an event recorded before the domain refused the characters a store cannot hold."""
    return [_legible_change(change) for change in changes]


def _legible_change(change: RowChange) -> RowChange:
    match change:
        case Insert(_, row) | InsertIfKnown(_, row, _):
            return replace(change, row=_legible_values(row))
        case Update(_, where, set_, fill, _):
            return replace(change, where=_legible_values(where), set=_legible_values(set_), fill=_legible_values(fill))
        case Count(_, key, _):
            return replace(change, key=_legible_values(key))
    raise TypeError(f"not a change: {change!r}")


def _legible_values(values: Mapping[str, Any]) -> dict[str, Any]:
    return {name: legible(value) if isinstance(value, str) else value for name, value in values.items()}
