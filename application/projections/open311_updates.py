"""Open311 updates: each event of each request made through Open311, as the update history
(FixMyStreet's ``servicerequestupdates``) reads it.

Reading needs no key, so an answer must cost a page of rows, never the log of a 90-day window:
the rows are kept ordered by moment, and only Open311's requests have any. A request is kept
from its registration on; its later events do not name the channel, so each is inserted only
where the request is already kept.
"""

from abc import abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.dispatch import singledispatchmethod

from application.open311.states import detailed_after, note
from application.projections.view import ChangeProjection, View
from domain.complaint import Channel, Complaint


@dataclass(frozen=True, slots=True)
class Open311Update:
    complaint_id: str
    # The event's version: 1 is the registration.
    version: int
    updated_at: datetime
    status: str
    description: str


@dataclass(frozen=True, slots=True)
class Step:
    """An event of a request, as its update history shows it. The registration of an Open311
    request (``opening``) starts the history; a later step is kept only if the request is."""

    complaint_id: UUID
    version: int
    at: datetime
    status: str
    description: str
    opening: bool


class Open311UpdateView(View[Step]):
    @abstractmethod
    def updates(self, start: datetime, end: datetime, *, limit: int, offset: int) -> list[Open311Update]:
        """The updates from start to end (both included), oldest first (then by request and
        version), skipping ``offset`` of them and returning at most ``limit``."""


def _step(event: Any, *, opening: bool) -> Step:
    return Step(
        event.originator_id, event.originator_version, event.timestamp, detailed_after(event), note(event), opening
    )


class Open311UpdateProjection(ChangeProjection):
    name = "open311_updates"

    @singledispatchmethod
    def changes(self, domain_event: Any) -> Sequence[Step]:
        return ()

    @changes.register
    def _(self, event: Complaint.Registered) -> Sequence[Step]:
        return (_step(event, opening=True),) if event.channel == Channel.OPEN311 else ()

    @changes.register(Complaint.ClarificationRequested)
    @changes.register(Complaint.Clarified)
    @changes.register(Complaint.Rejected)
    @changes.register(Complaint.Assigned)
    @changes.register(Complaint.Reassigned)
    @changes.register(Complaint.Responded)
    @changes.register(Complaint.Resolved)
    @changes.register(Complaint.Reopened)
    @changes.register(Complaint.MarkedDuplicate)
    def _(self, event: Any) -> Sequence[Step]:
        return (_step(event, opening=False),)
