"""Keeps a view up to date with an application's notification log, from the view's own position.

A rebuild or a restart reads the log in batches, each written in one transaction with the
position it reaches, so killing the process at any moment loses at most an uncommitted batch
and the next start resumes from the last committed one. Once caught up, the projector
follows the store by asking for newer events every poll interval.
"""

import logging
from collections import deque
from collections.abc import Callable, Sequence
from threading import Event, Lock, Thread
from typing import Any

from eventsourcing.application import Application
from eventsourcing.persistence import (
    ApplicationRecorder,
    Notification,
    Subscription,
    Tracking,
)

from application.projections.view import ChangeProjection, PositionMoved, View

log = logging.getLogger("mcu.projections")

# A failed view makes /health answer 503, so after a database restart the views must try
# again soon: the longest pause bounds how long the service reads down after the store is back.
_RETRY_FIRST, _RETRY_LAST = 0.5, 5.0


class PollingSubscription(Subscription[ApplicationRecorder]):
    """A subscription for recorders that cannot notify (SQLite): asks for newer rows when idle.

    It uses the base class's protected state (``_recorder``, ``_last_notification_id``,
    ``_has_been_stopped``), as the library's own subscriptions do: the library has no public
    hook for a subscription that polls."""

    def __init__(self, recorder: ApplicationRecorder, gt: int | None, *, interval: float, batch_size: int) -> None:
        super().__init__(recorder=recorder, gt=gt)
        self._interval = interval
        self._batch_size = batch_size
        self._buffer: deque[Notification] = deque()
        self._wake = Event()

    def stop(self) -> None:
        super().stop()
        self._wake.set()

    def __next__(self) -> Notification:
        while not self._has_been_stopped:
            if self._buffer:
                return self._buffer.popleft()
            found = self._recorder.select_notifications(
                start=self._last_notification_id or 0, limit=self._batch_size, inclusive_of_start=False
            )
            if found:
                self._buffer.extend(found)
                self._last_notification_id = found[-1].id
            else:
                self._wake.wait(self._interval)
        raise StopIteration


class Projector:
    """Runs one projection over one application's events into the projection's view."""

    def __init__(
        self, app: Application[Any], projection: ChangeProjection, *, batch_size: int = 500, poll_interval: float = 0.05
    ) -> None:
        self.app = app
        self.projection = projection
        self.view: View = projection.view
        self.batch_size = batch_size
        self.poll_interval = poll_interval
        self.failure: str | None = None
        self._stopping = Event()
        self._lock = Lock()
        self._subscription: Subscription[ApplicationRecorder] | None = None
        self._thread: Thread | None = None
        self._topics = frozenset(projection.topics)

    @property
    def name(self) -> str:
        return self.projection.name

    def position(self) -> int:
        return self.view.max_tracking_id(self.app.name) or 0

    def catch_up(self, progress: Callable[[int], None] | None = None) -> int:
        """Applies every event recorded so far, in batches; returns the position reached."""
        end = self.app.recorder.max_notification_id() or 0
        position = self.position()
        while position < end and not self._stopping.is_set():
            notifications = self.app.recorder.select_notifications(
                start=position, limit=self.batch_size, stop=end, inclusive_of_start=False
            )
            if not notifications:
                break
            reached = self._apply(notifications, after=position)
            if progress is not None:
                progress(reached - position)
            position = reached
        return position

    def rebuild(self, progress: Callable[[int], None] | None = None) -> None:
        """Fills the view anew beside the live one, which serves meanwhile, and puts it in the
        live one's place once it holds every event recorded so far. A rebuild that was
        interrupted is resumed; one that fails leaves the live view as it was."""
        if not self.view.rebuilding():
            self.view.begin_rebuild()
        beside = Projector(self.app, type(self.projection)(self.view.beside()), batch_size=self.batch_size)
        beside.catch_up(progress)
        self.view.end_rebuild()

    def rebuilt_position(self) -> int:
        """How far the rebuild under way beside the view has come (0 if none is)."""
        if not self.view.rebuilding():
            return 0
        return self.view.beside().max_tracking_id(self.app.name) or 0

    def start(self) -> None:
        self._stopping.clear()
        self._thread = Thread(target=self._run, name=f"projection-{self.name}", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        with self._lock:
            self._stopping.set()
            if self._subscription is not None:
                self._subscription.stop()
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def _run(self) -> None:
        """Follows the log until stopped; failures are retried with a pause that grows while
        they repeat (a database restart, another writer having moved the position)."""
        pause = _RETRY_FIRST
        while not self._stopping.is_set():
            try:
                self._follow()
            except PositionMoved:
                # A rebuild put its view in place under this one: follow on from its position.
                log.info("projection %s resumes from its rebuilt view's position", self.name)
            except Exception as error:  # the loop must outlive a database restart
                pause = _RETRY_FIRST if self.failure is None else min(pause * 2, _RETRY_LAST)
                # Only the type: the message may quote a citizen's text from a failed statement.
                self.failure = type(error).__name__
                log.warning("projection %s stopped on %s; retrying in %.1fs", self.name, self.failure, pause)
                self._stopping.wait(pause)

    def _follow(self) -> None:
        position = self.catch_up()
        with self._subscribe(position) as subscription:
            with self._lock:
                if self._stopping.is_set():
                    return
                self._subscription = subscription
            try:
                self.failure = None
                for notification in subscription:
                    position = self._apply([notification], after=position)
            finally:
                with self._lock:
                    self._subscription = None

    def _subscribe(self, position: int) -> Subscription[ApplicationRecorder]:
        # Polled on every store: the library's PostgreSQL subscription starts LISTEN in a thread
        # of its own after reading what is there, so an event committed in between waited for
        # the next one (a view one event behind, seen in tests of the projection process).
        return PollingSubscription(
            self.app.recorder, gt=position, interval=self.poll_interval, batch_size=self.batch_size
        )

    def _apply(self, notifications: Sequence[Notification], *, after: int) -> int:
        # Bound once per batch: binding a singledispatchmethod costs as much as dispatching.
        changes_of, decode = self.projection.changes, self.app.mapper.to_domain_event
        topics = self._topics
        changes = [
            change
            for notification in notifications
            if notification.topic in topics
            for change in changes_of(decode(notification))
        ]
        reached = notifications[-1].id
        self.view.apply(changes, Tracking(self.app.name, reached), after=after)
        return reached
