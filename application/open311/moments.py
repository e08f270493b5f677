"""Moments as Open311 writes them (W3C date-time profile of ISO 8601).

A value without a zone is taken in the city's time, where the client's users are; a bare
date means its first moment there. Only moments of the service's years are read: no request
was made before 1970 or will be after 2999, and near the calendar's own ends (years 1 and
9999) a window around the moment, or its offset, runs past what a datetime can hold.
"""

from datetime import UTC, date, datetime, time

from application.projections.calendar import MOSCOW

EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(3000, 1, 1, tzinfo=UTC)  # excluded
# What a client is told when a moment cannot be read.
W3C_MOMENT = "a W3C date and time between 1970 and 2999, e.g. 2010-01-01T00:00:00Z"


def w3c_moment(value: str) -> datetime | None:
    """The moment, or None when the value is not a W3C date or date-time of the service's years."""
    text = value.strip()
    try:
        if len(text) == len("2010-01-01"):
            moment = datetime.combine(date.fromisoformat(text), time(), MOSCOW)
        else:
            moment = datetime.fromisoformat(text)
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=MOSCOW)
        in_utc = moment.astimezone(UTC)
    except (ValueError, OverflowError):
        return None
    return moment if EARLIEST <= in_utc < LATEST else None
