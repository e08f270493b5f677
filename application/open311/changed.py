"""Which aggregates changed between two moments, found in the application's notification log.

The log is in time order: each event's timestamp is the service's clock when the command ran,
moments before the event is appended. So a span of time is a span of positions, found by
bisection and read forward, and asking about the last hour costs the same with a year of
history behind it. Writers racing for the append can invert the order by the time a save
takes; the span is widened by ``slack`` against that, and callers filter the events exactly.
"""

from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from eventsourcing.application import Application

SLACK = timedelta(minutes=5)


def changed_between(
    app: Application[Any], start: datetime, end: datetime, *, slack: timedelta = SLACK, batch: int = 500
) -> list[UUID]:
    """The ids of aggregates with an event between start and end (within the slack), in the
    order of their first such event."""
    recorder = app.recorder

    def moment_at_or_after(position: int) -> datetime | None:
        found = recorder.select_notifications(start=position, limit=1)
        return app.mapper.to_domain_event(found[0]).timestamp if found else None

    # The first position whose next event is not before the widened start.
    low, high = 1, (recorder.max_notification_id() or 0) + 1
    earliest = start - slack
    while low < high:
        middle = (low + high) // 2
        moment = moment_at_or_after(middle)
        if moment is None or moment >= earliest:
            high = middle
        else:
            low = middle + 1

    latest = end + slack
    changed: dict[UUID, None] = {}
    position = low
    while True:
        notifications = recorder.select_notifications(start=position, limit=batch)
        for notification in notifications:
            event = app.mapper.to_domain_event(notification)
            if event.timestamp > latest:
                return list(changed)
            changed.setdefault(event.originator_id)
        if len(notifications) < batch:
            return list(changed)
        position = notifications[-1].id + 1
