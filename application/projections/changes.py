"""What a projection asks of its view: row changes in plain values, applied in order.

Projections say *what* changes and the view adapters say *how* in their store's SQL, so one
projection serves every store, and the changes of many events can be written in one
transaction together with the position of the last of them (a rebuild's batches).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


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


Change = Insert | Update | Count | InsertIfKnown
