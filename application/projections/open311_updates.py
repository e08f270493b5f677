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

from eventsourcing.dispatch import singledispatchmethod

from application.open311.states import detailed_after, note
from application.projections.calendar import micros
from application.projections.changes import Change, Insert, InsertIfKnown
from application.projections.view import ChangeProjection, View
from domain.complaint import Channel, Complaint

TABLE = "updates"


@dataclass(frozen=True, slots=True)
class Open311Update:
    complaint_id: str
    # The event's version: 1 is the registration.
    version: int
    updated_at: datetime
    status: str
    description: str


class Open311UpdateView(View):
    @abstractmethod
    def updates(self, start: datetime, end: datetime, *, limit: int, offset: int) -> list[Open311Update]:
        """The updates from start to end (both included), oldest first (then by request and
        version), skipping ``offset`` of them and returning at most ``limit``."""


def _row(event: Any) -> dict[str, Any]:
    return {
        "complaint_id": str(event.originator_id),
        "version": event.originator_version,
        "updated_at": micros(event.timestamp),
        "status": detailed_after(event),
        "description": note(event),
    }


class Open311UpdateProjection(ChangeProjection):
    name = "open311_updates"

    @singledispatchmethod
    def changes(self, domain_event: Any) -> Sequence[Change]:
        return ()

    @changes.register
    def _(self, event: Complaint.Registered) -> Sequence[Change]:
        return (Insert(TABLE, _row(event)),) if event.channel == Channel.OPEN311 else ()

    @changes.register(Complaint.ClarificationRequested)
    @changes.register(Complaint.Clarified)
    @changes.register(Complaint.Rejected)
    @changes.register(Complaint.Assigned)
    @changes.register(Complaint.Reassigned)
    @changes.register(Complaint.Responded)
    @changes.register(Complaint.Resolved)
    @changes.register(Complaint.Reopened)
    @changes.register(Complaint.MarkedDuplicate)
    def _(self, event: Any) -> Sequence[Change]:
        return (InsertIfKnown(TABLE, _row(event), known_by=("complaint_id",)),)
