"""The operators' queues: every complaint as one row to filter, search and sort.

Whether a running clock is past its target or overdue depends on when one asks, so the row
keeps the deadlines and the view compares them with the caller's clock at query time.
"""

from abc import abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from eventsourcing.dispatch import singledispatchmethod

from application.projections.calendar import micros
from application.projections.changes import Change, Insert, Update
from application.projections.view import ChangeProjection, View
from domain.complaint import Complaint
from domain.lifecycle import Status
from domain.reaction import ClockState

TABLE = "complaints"
# The searchable words live apart from the queue's fields, so that the many changes of state
# never make the store re-index the text.
TEXTS = "texts"
SUMMARY_LENGTH = 200


class SortKey(StrEnum):
    DEADLINE = "deadline"
    RECEIVED = "received"


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


class ComplaintListView(View):
    @abstractmethod
    def find(self, query: ComplaintQuery, now: datetime) -> ComplaintPage: ...


def _touch(event: Any, **values: Any) -> dict[str, Any]:
    return {"version": event.originator_version, "updated_at": micros(event.timestamp), **values}


def _row(event: Any) -> dict[str, str]:
    return {"id": str(event.originator_id)}


class ComplaintListProjection(ChangeProjection):
    name = "complaint_list"

    @singledispatchmethod
    def changes(self, domain_event: Any) -> Sequence[Change]:
        return ()

    @changes.register
    def _(self, event: Complaint.Registered) -> Sequence[Change]:
        received = micros(event.received_at)
        registered = micros(event.timestamp)
        complaint_id = str(event.originator_id)
        return (
            Insert(
                TABLE,
                {
                    "id": complaint_id,
                    "version": event.originator_version,
                    "status": Status.REGISTERED.value,
                    "channel": event.channel,
                    "category": event.category,
                    "district": event.district,
                    "organisation": None,
                    "executor": None,
                    "address": event.address,
                    "summary": event.text[:SUMMARY_LENGTH],
                    "received_at": received,
                    "registered_at": registered,
                    "updated_at": registered,
                    "target_at": received + event.reaction_target_seconds * 1_000_000,
                    "deadline_at": received + event.reaction_norm_seconds * 1_000_000,
                    "reacted_at": None,
                    "stopped_at": None,
                    "closed_at": None,
                    "reopen_count": 0,
                },
            ),
            Insert(TEXTS, {"id": complaint_id, "text": event.text, "clarification": None, "address": event.address}),
        )

    @changes.register
    def _(self, event: Complaint.ClarificationRequested) -> Sequence[Change]:
        return (
            Update(
                TABLE,
                _row(event),
                set=_touch(event, status=Status.CLARIFICATION_REQUESTED.value),
                fill={"reacted_at": micros(event.timestamp)},
            ),
        )

    @changes.register
    def _(self, event: Complaint.Clarified) -> Sequence[Change]:
        address = {} if event.address is None else {"address": event.address}
        return (
            Update(TABLE, _row(event), set=_touch(event, status=Status.REGISTERED.value, **address)),
            Update(TEXTS, _row(event), set={"clarification": event.text, **address}),
        )

    @changes.register
    def _(self, event: Complaint.Rejected) -> Sequence[Change]:
        at = micros(event.timestamp)
        return (
            Update(
                TABLE,
                _row(event),
                set=_touch(event, status=Status.REJECTED.value, closed_at=at),
                fill={"reacted_at": at},
            ),
        )

    @changes.register
    def _(self, event: Complaint.Assigned) -> Sequence[Change]:
        return (
            Update(
                TABLE,
                _row(event),
                set=_touch(
                    event, status=Status.ASSIGNED.value, organisation=event.organisation, executor=event.executor
                ),
            ),
        )

    @changes.register
    def _(self, event: Complaint.Reassigned) -> Sequence[Change]:
        return (
            Update(TABLE, _row(event), set=_touch(event, organisation=event.organisation, executor=event.executor)),
        )

    @changes.register
    def _(self, event: Complaint.Responded) -> Sequence[Change]:
        return (
            Update(
                TABLE,
                _row(event),
                set=_touch(event, status=Status.RESPONDED.value),
                fill={"reacted_at": micros(event.timestamp)},
            ),
        )

    @changes.register
    def _(self, event: Complaint.Resolved) -> Sequence[Change]:
        return (
            Update(
                TABLE, _row(event), set=_touch(event, status=Status.RESOLVED.value, closed_at=micros(event.timestamp))
            ),
        )

    @changes.register
    def _(self, event: Complaint.Reopened) -> Sequence[Change]:
        return (
            Update(
                TABLE,
                _row(event),
                set=_touch(event, status=Status.ASSIGNED.value, closed_at=None),
                add={"reopen_count": 1},
            ),
        )

    @changes.register
    def _(self, event: Complaint.MarkedDuplicate) -> Sequence[Change]:
        at = micros(event.timestamp)
        # A duplicate stops the clock without a reaction; the original carries the answer.
        return (
            Update(TABLE, _row(event), set=_touch(event, status=Status.DUPLICATE.value, closed_at=at, stopped_at=at)),
        )
