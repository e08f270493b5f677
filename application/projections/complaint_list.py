"""The operators' queues: every complaint as one row to filter, search and sort.

Whether a running clock is past its target or overdue depends on when one asks, so the row
keeps the deadlines and the view compares them with the caller's clock at query time.
"""

from abc import abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any
from uuid import UUID

from eventsourcing.dispatch import singledispatchmethod

from application.projections.view import ChangeProjection, View
from domain.complaint import Complaint
from domain.lifecycle import Status
from domain.reaction import ClockState


class SortKey(StrEnum):
    DEADLINE = "deadline"
    RECEIVED = "received"
    # The queue a shift works from: running clocks by their deadline (so the overdue come
    # first), then every complaint whose clock has stopped, the most recently stopped first.
    # A stopped clock's deadline says nothing about what is left to do, so it never ranks
    # among the running ones; the moment it stopped never changes, so paging stays exact.
    URGENCY = "urgency"


@dataclass(frozen=True, slots=True)
class Sort:
    key: SortKey = SortKey.DEADLINE
    descending: bool = False


@dataclass(frozen=True, slots=True)
class ComplaintQuery:
    """Filters combine with AND; several values of one filter with OR; empty means any."""

    status: tuple[str, ...] = ()
    category: tuple[str, ...] = ()
    channel: tuple[str, ...] = ()
    district: tuple[str, ...] = ()
    organisation: tuple[str, ...] = ()
    clock: tuple[ClockState, ...] = ()
    running: bool | None = None
    received_from: datetime | None = None
    received_before: datetime | None = None
    text: str | None = None
    sort: Sort = Sort()
    limit: int = 50
    # The sort value and id of the last row of the previous page (keyset pagination).
    after: tuple[int, str] | None = None


@dataclass(frozen=True, slots=True)
class ListedComplaint:
    id: str
    version: int
    status: str
    channel: str
    category: str | None
    district: str | None
    organisation: str | None
    executor: str | None
    address: str | None
    summary: str
    received_at: datetime
    registered_at: datetime
    updated_at: datetime
    reaction_target: datetime
    reaction_deadline: datetime
    reacted_at: datetime | None
    clock: ClockState
    clock_running: bool
    reopen_count: int


@dataclass(frozen=True, slots=True)
class ComplaintPage:
    items: list[ListedComplaint]
    # The keyset to continue after, when there may be more.
    next_after: tuple[int, str] | None


# What an event changes in the list. Each change is of one complaint and sets its version and
# the moment it last changed (``at``).


@dataclass(frozen=True, slots=True)
class Listing:
    """A complaint registered enters the list with what it says and its reaction clock."""

    complaint_id: UUID
    version: int
    at: datetime
    received_at: datetime
    channel: str
    category: str | None
    district: str | None
    address: str | None
    text: str
    target: datetime
    deadline: datetime


@dataclass(frozen=True, slots=True)
class StatusChange:
    """The complaint's status moved. A public ``reply`` is its reaction if it is the first one;
    ``closing`` ends the case (until a reopening)."""

    complaint_id: UUID
    version: int
    at: datetime
    status: Status
    reply: bool = False
    closing: bool = False


@dataclass(frozen=True, slots=True)
class Handover:
    """The complaint is put in the hands of an organisation: at its first assignment its status
    becomes ``status``; a reassignment (``status`` None) leaves the status as it was."""

    complaint_id: UUID
    version: int
    at: datetime
    organisation: str
    executor: str | None
    status: Status | None


@dataclass(frozen=True, slots=True)
class Clarification:
    """The citizen clarified: the text is searched with the complaint's, and a new address,
    if given, replaces the old one; the complaint is back to registered."""

    complaint_id: UUID
    version: int
    at: datetime
    text: str
    address: str | None


@dataclass(frozen=True, slots=True)
class Reopening:
    """A closed complaint is reopened: it is assigned again and counts one more reopening."""

    complaint_id: UUID
    version: int
    at: datetime


@dataclass(frozen=True, slots=True)
class DuplicateClosing:
    """Closed as a duplicate: the clock stops without a reaction (the original carries the answer)."""

    complaint_id: UUID
    version: int
    at: datetime


ListChange = Listing | StatusChange | Handover | Clarification | Reopening | DuplicateClosing


class ComplaintListView(View[ListChange]):
    @abstractmethod
    def find(self, query: ComplaintQuery, now: datetime) -> ComplaintPage: ...


def _moved(event: Any, status: Status, *, reply: bool = False, closing: bool = False) -> tuple[StatusChange]:
    return (StatusChange(event.originator_id, event.originator_version, event.timestamp, status, reply, closing),)


class ComplaintListProjection(ChangeProjection):
    name = "complaint_list"

    @singledispatchmethod
    def changes(self, domain_event: Any) -> Sequence[ListChange]:
        return ()

    @changes.register
    def _(self, event: Complaint.Registered) -> Sequence[ListChange]:
        received = event.received_at
        return (
            Listing(
                complaint_id=event.originator_id,
                version=event.originator_version,
                at=event.timestamp,
                received_at=received,
                channel=event.channel,
                category=event.category,
                district=event.district,
                address=event.address,
                text=event.text,
                target=received + timedelta(seconds=event.reaction_target_seconds),
                deadline=received + timedelta(seconds=event.reaction_norm_seconds),
            ),
        )

    @changes.register
    def _(self, event: Complaint.ClarificationRequested) -> Sequence[ListChange]:
        return _moved(event, Status.CLARIFICATION_REQUESTED, reply=True)

    @changes.register
    def _(self, event: Complaint.Clarified) -> Sequence[ListChange]:
        return (
            Clarification(event.originator_id, event.originator_version, event.timestamp, event.text, event.address),
        )

    @changes.register
    def _(self, event: Complaint.Rejected) -> Sequence[ListChange]:
        return _moved(event, Status.REJECTED, reply=True, closing=True)

    @changes.register
    def _(self, event: Complaint.Assigned) -> Sequence[ListChange]:
        return (_handover(event, Status.ASSIGNED),)

    @changes.register
    def _(self, event: Complaint.Reassigned) -> Sequence[ListChange]:
        return (_handover(event, None),)

    @changes.register
    def _(self, event: Complaint.Responded) -> Sequence[ListChange]:
        return _moved(event, Status.RESPONDED, reply=True)

    @changes.register
    def _(self, event: Complaint.Resolved) -> Sequence[ListChange]:
        return _moved(event, Status.RESOLVED, closing=True)

    @changes.register
    def _(self, event: Complaint.Reopened) -> Sequence[ListChange]:
        return (Reopening(event.originator_id, event.originator_version, event.timestamp),)

    @changes.register
    def _(self, event: Complaint.MarkedDuplicate) -> Sequence[ListChange]:
        return (DuplicateClosing(event.originator_id, event.originator_version, event.timestamp),)


def _handover(event: Any, status: Status | None) -> Handover:
    return Handover(
        event.originator_id, event.originator_version, event.timestamp, event.organisation, event.executor, status
    )
