"""How the service writes a moment for programs: in UTC, with ``Z`` (RFC 3339), to the
microsecond when it has any (``2026-11-28T09:00:00Z``, ``2026-11-28T09:00:00.250000Z``).

UTC, not the city's time: the same instant is spelt one way whichever city runs the service
and whichever offset a client sent, the spellings sort as the instants do (to the second), and
it is what JSON libraries and Open311's own examples write. Days and months (statistics, the
queue's day filters) stay the city's, and people read the city's time (the console, the CLI).

The JSON answers are written by msgspec, which spells a UTC moment so (``in_utc`` puts each
there); every other output (Open311, the audit export) calls ``written``, which is that
same spelling, so the two cannot drift apart."""

from datetime import UTC, datetime

import msgspec


def in_utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def written(moment: datetime) -> str:
    return msgspec.json.encode(in_utc(moment)).decode()[1:-1]
