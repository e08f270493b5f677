"""Feeds an upstream application's events to a process application, one tracked event at a time.

The library's runners subscribe to the recorder, which its SQLite recorder does not offer;
reading the notification log from the process's last tracked position works on every store,
and the tracking record written with each event's results is what makes a restart resume
exactly after the last event processed.
"""

from eventsourcing.application import Application
from eventsourcing.persistence import IntegrityError, Tracking
from eventsourcing.projection import EventSourcedProjection


class Follower:
    def __init__(self, upstream: Application, process: EventSourcedProjection, *, batch_size: int = 100) -> None:
        self.upstream = upstream
        self.process = process
        self.batch_size = batch_size

    def pull(self) -> int:
        """Processes the next batch of upstream events; returns how many there were."""
        last = self.process.recorder.max_tracking_id(self.upstream.name)
        notifications = self.upstream.recorder.select_notifications(
            start=last,
            limit=self.batch_size,
            topics=self.process.topics,
            inclusive_of_start=last is None,
        )
        for notification in notifications:
            domain_event = self.upstream.mapper.to_domain_event(notification)
            try:
                self.process.process_event(domain_event, Tracking(self.upstream.name, notification.id))
            except IntegrityError:
                # Another instance of the process recorded this position first: nothing to redo.
                return 0
        return len(notifications)
