"""Intake's own store: screening counts, incidents, and the pollers' positions."""

import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, TypeVar
from uuid import UUID
from zoneinfo import ZoneInfo

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError
from eventsourcing.utils import EnvType, get_topic

from application.clock import Clock, SystemClock
from application.commands import AttachmentRef
from application.countersign import Countersigned
from application.errors import Busy
from domain.album import Album
from domain.incident import Incident, IncidentMembership, IncidentSite
from domain.polling import PollPosition
from domain.screening import ScreenedPost, ScreeningDay

# The centre counts its days in Rostov's time, as its reports do.
CITY_TIME = ZoneInfo("Europe/Moscow")
# Two intake workers may touch the same day or incident at once; the loser re-reads and retries.
_RETRIES = 5

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class ScreeningCount:
    channel: str
    day: date
    dropped: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.dropped.values())


@dataclass(frozen=True, slots=True)
class IncidentView:
    id: UUID
    category: str
    address: str
    district: str | None
    complaint_ids: tuple[UUID, ...]
    opened_at: datetime


class IntakeRecords(Countersigned):
    name = "Intake"
    # Positions move on every poll and days collect every dropped post; snapshots keep loading cheap.
    snapshotting_intervals = {PollPosition: 50, ScreeningDay: 200}

    def __init__(self, env: EnvType | None = None, *, clock: Clock | None = None) -> None:
        super().__init__(env)
        self.clock = clock or SystemClock()
        self._screened_out = _ScreenedOut(self)

    # Screening.

    def record_dropped(self, *, channel: str, source_ref: str, reason: str) -> bool:
        """Counts a screened-out post once; False when it had been counted before."""
        marker_id = ScreenedPost.create_id(channel, source_ref)
        for _ in range(_RETRIES):
            if marker_id in self.repository:
                return False
            now = self.clock.now()
            day = now.astimezone(CITY_TIME).date()
            marker = ScreenedPost.screen(channel=channel, source_ref=source_ref, day=day, reason=reason, at=now)
            tally = self._find(ScreeningDay.create_id(channel, day)) or ScreeningDay.open(
                channel=channel, day=day, at=now
            )
            tally.drop(reason, at=now)
            try:
                # One atomic save: the marker makes a second delivery of the post fail here.
                self.save(marker, tally)
            except IntegrityError:
                continue
            return True
        raise Busy("the screening count is being changed by others; try again")

    def screening(self, *, channels: Iterable[str], first: date, last: date) -> list[ScreeningCount]:
        counts = []
        day = first
        while day <= last:
            for channel in channels:
                tally = self._find(ScreeningDay.create_id(channel, day))
                if tally is not None:
                    counts.append(ScreeningCount(channel=channel, day=day, dropped=dict(tally.dropped)))
            day += timedelta(days=1)
        return counts

    def screened_out(self) -> dict[tuple[str, str], int]:
        """Posts screened out since the start of the store, per channel and reason."""
        return self._screened_out.totals()

    # Incidents.

    def link_incident(
        self,
        *,
        complaint_id: UUID,
        category: str,
        address: str,
        district: str | None,
        window: timedelta,
    ) -> UUID:
        """The incident the complaint belongs to: the open one at its site, or a new one."""

        def attempt() -> UUID:
            now = self.clock.now()
            linked = self._find(IncidentMembership.create_id(complaint_id))
            if linked is not None:
                return linked.incident_id
            site = self._find(IncidentSite.create_id(category, address))
            current = site.current(now, window) if site is not None else None
            if current is not None:
                incident = self.repository.get(current)
                incident.join(complaint_id, at=now)
            else:
                incident = Incident.open(
                    category=category,
                    address=address,
                    district=district,
                    complaint_id=complaint_id,
                    at=now,
                )
            if site is None:
                site = IncidentSite.start(category=category, address=address, incident_id=incident.id, at=now)
            else:
                site.touch(incident.id, at=now)
            # One atomic save: a second link of the same complaint fails on its membership.
            membership = IncidentMembership.link(complaint_id=complaint_id, incident_id=incident.id, at=now)
            self.save(incident, site, membership)
            return incident.id

        return self._retrying(attempt)

    def incident(self, incident_id: UUID) -> IncidentView | None:
        incident = self._find(incident_id)
        if not isinstance(incident, Incident):
            return None
        return IncidentView(
            id=incident.id,
            category=incident.category,
            address=incident.address,
            district=incident.district,
            complaint_ids=tuple(incident.complaint_ids),
            opened_at=incident.created_on,
        )

    def incident_of(self, complaint_id: UUID) -> IncidentView | None:
        linked = self._find(IncidentMembership.create_id(complaint_id))
        return self.incident(linked.incident_id) if linked is not None else None

    # Albums.

    def album_complaint(self, channel: str, album: str) -> UUID | None:
        """The complaint an album's first registered photo became, if one did."""
        found = self._find(Album.create_id(channel, album))
        return found.complaint_id if found is not None else None

    def complete_album(self, channel: str, album: str, complaint_id: UUID) -> tuple[UUID, tuple[AttachmentRef, ...]]:
        """Makes the complaint the album's (the one it already has stands); returns the album's
        complaint and the photos that came before it, to be attached to it."""

        def attempt() -> tuple[UUID, tuple[AttachmentRef, ...]]:
            found = self._find(Album.create_id(channel, album)) or Album.open(
                channel=channel, album=album, at=self.clock.now()
            )
            found.complete(complaint_id, at=self.clock.now())
            self.save(found)
            waiting = tuple(AttachmentRef(str(a["kind"]), str(a["ref"]), a["url"]) for a in found.waiting)
            return found.complaint_id, waiting

        return self._retrying(attempt)

    def wait_in_album(self, channel: str, album: str, attachments: Iterable[AttachmentRef]) -> UUID | None:
        """Keeps a photo that came before its album had a complaint; the album's complaint
        instead when it has one meanwhile (the photo is then the caller's to attach)."""

        def attempt() -> UUID | None:
            found = self._find(Album.create_id(channel, album)) or Album.open(
                channel=channel, album=album, at=self.clock.now()
            )
            if found.complaint_id is not None:
                return found.complaint_id
            found.wait([{"kind": a.kind, "ref": a.ref, "url": a.url} for a in attachments], at=self.clock.now())
            self.save(found)
            return None

        return self._retrying(attempt)

    # Poll positions.

    def position(self, source: str) -> str | None:
        found = self._find(PollPosition.create_id(source))
        return found.position if found is not None else None

    def move_position(self, source: str, position: str) -> None:
        def attempt() -> None:
            now = self.clock.now()
            found = self._find(PollPosition.create_id(source))
            if found is None:
                found = PollPosition.start(source=source, position=position, at=now)
            else:
                found.move(position, at=now)
            self.save(found)

        self._retrying(attempt)

    def _retrying(self, attempt: Callable[[], T]) -> T:
        for _ in range(_RETRIES):
            try:
                return attempt()
            except IntegrityError:
                continue
        raise Busy("intake records are being changed by others; try again")

    def _find(self, aggregate_id: UUID):  # noqa: ANN202 - any of this store's aggregates
        try:
            return self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None


class LogFold(ABC):
    """Some of the intake log's events folded into an answer, read on from where the last
    reading stopped: a question asked often never reads the whole log again. Subclasses name
    their ``topics``, fold one event in ``fold`` and answer under ``self.lock`` after
    ``caught_up()``."""

    topics: tuple[str, ...]
    _PAGE = 500

    def __init__(self, records: IntakeRecords) -> None:
        self._records = records
        self._position: int | None = None
        self.lock = threading.Lock()

    def caught_up(self) -> None:
        """Folds what was recorded since the last call; the caller holds the lock."""
        while True:
            notifications = self._records.recorder.select_notifications(
                start=self._position,
                limit=self._PAGE,
                topics=self.topics,
                inclusive_of_start=self._position is None,
            )
            for notification in notifications:
                self.fold(self._records.mapper.to_domain_event(notification))
                self._position = notification.id
            if len(notifications) < self._PAGE:
                return

    @abstractmethod
    def fold(self, domain_event: Any) -> None: ...


class _ScreenedOut(LogFold):
    """The screened-out posts counted from their markers' events: a count over every day would
    load every day's tally."""

    topics = (get_topic(ScreenedPost.Screened),)

    def __init__(self, records: IntakeRecords) -> None:
        super().__init__(records)
        self._totals: dict[tuple[str, str], int] = {}

    def fold(self, domain_event: Any) -> None:
        key = (domain_event.channel, domain_event.reason)
        self._totals[key] = self._totals.get(key, 0) + 1

    def totals(self) -> dict[tuple[str, str], int]:
        with self.lock:
            self.caught_up()
            return dict(self._totals)
