"""How read models store moments and put them into the centre's calendar.

Moments are kept as integer microseconds since the epoch: exact, ordered and the same in
every store. Calendar buckets (day, ISO week, month) are taken in Moscow time, where the
centre works, and fixed when the event is projected, because they depend on the event only.
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

MOSCOW = ZoneInfo("Europe/Moscow")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def micros(moment: datetime) -> int:
    return (moment - _EPOCH) // _MICROSECOND


def moment(value: int) -> datetime:
    return _EPOCH + timedelta(microseconds=value)


def local_day(moment_: datetime) -> date:
    return moment_.astimezone(MOSCOW).date()


def day_key(moment_: datetime) -> str:
    return local_day(moment_).isoformat()


def week_key(moment_: datetime) -> str:
    """The Monday that starts the ISO week, so weeks sort and read as dates."""
    day = local_day(moment_)
    return (day - timedelta(days=day.weekday())).isoformat()


def month_key(moment_: datetime) -> str:
    return local_day(moment_).strftime("%Y-%m")


def start_of_day(day: date) -> datetime:
    return datetime.combine(day, time(), MOSCOW)


def previous_month(month: str) -> str:
    year, number = int(month[:4]), int(month[5:7])
    return f"{year - 1}-12" if number == 1 else f"{year}-{number - 1:02d}"


def months_between(first: str, last: str) -> list[str]:
    """Every month from first to last inclusive, also those in which nothing happened."""
    months: list[str] = []
    current = last
    while current >= first:
        months.append(current)
        current = previous_month(current)
    return months[::-1]
