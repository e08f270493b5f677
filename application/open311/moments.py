"""Moments as Open311 writes them (W3C date-time profile of ISO 8601).

A value without a zone is taken in the city's time, where the client's users are; a bare
date means its first moment there.
"""

from datetime import date, datetime, time

from application.projections.calendar import MOSCOW


def w3c_moment(value: str) -> datetime | None:
    """The moment, or None when the value is not a W3C date or date-time."""
    text = value.strip()
    try:
        if len(text) == len("2010-01-01"):
            return datetime.combine(date.fromisoformat(text), time(), MOSCOW)
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=MOSCOW)


def w3c_text(moment: datetime) -> str:
    """The moment in the city's time, to the second, with its offset: 2026-11-28T12:00:00+03:00."""
    return moment.astimezone(MOSCOW).replace(microsecond=0).isoformat()
