"""Steps every specification shares: the controlled clock, read in Moscow time."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

from pytest_bdd import parsers, step

from adapters.clock import ManualClock

MOSCOW = ZoneInfo("Europe/Moscow")


def moscow_time(clock: ManualClock, hhmm: str) -> datetime:
    """The given time of the clock's current day in Moscow."""
    today = clock.now().astimezone(MOSCOW).date()
    return datetime.combine(today, time.fromisoformat(hhmm), MOSCOW)


@step(parsers.parse('сейчас "{moment}" по Москве'))
def now_is(clock: ManualClock, moment: str) -> None:
    clock.set(datetime.fromisoformat(moment).replace(tzinfo=MOSCOW))
