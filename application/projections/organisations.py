"""Organisation performance: what each body was handed, answered in time, resolved, had reopened.

One row per assignment, so a body that passed a complaint on keeps it in its "assigned"
figure, and responses, resolutions and reopenings count for the body holding the complaint.
"""

from abc import abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from eventsourcing.dispatch import singledispatchmethod

from application.projections.calendar import micros, month_key
from application.projections.changes import Change, Insert, Update
from application.projections.view import ChangeProjection, View
from domain.complaint import Complaint

COMPLAINTS = "complaints"
ASSIGNMENTS = "assignments"


@dataclass(frozen=True, slots=True)
class OrganisationFigures:
    organisation: str
    assigned: int
    responded: int
    responded_within_norm: int
    resolved: int
    reopened: int

    @property
    def within_norm_share(self) -> float | None:
        return self.responded_within_norm / self.assigned if self.assigned else None


class OrganisationView(View):
    @abstractmethod
    def figures(self, first_month: str | None, last_month: str | None) -> list[OrganisationFigures]:
        """Per organisation, for assignments made in the inclusive month range, most assigned first."""


def _current(event: Any) -> dict[str, Any]:
    return {"complaint_id": str(event.originator_id), "holding": 1}


def _assignment(event: Any) -> Insert:
    return Insert(
        ASSIGNMENTS,
        {
            "complaint_id": str(event.originator_id),
            "version": event.originator_version,
            "organisation": event.organisation,
            "month": month_key(event.timestamp),
            "holding": 1,
            "responded_at": None,
            "resolved": 0,
            "reopened": 0,
        },
    )


class OrganisationProjection(ChangeProjection):
    name = "organisations"

    @singledispatchmethod
    def changes(self, domain_event: Any) -> Sequence[Change]:
        return ()

    @changes.register
    def _(self, event: Complaint.Registered) -> Sequence[Change]:
        deadline = micros(event.received_at) + event.reaction_norm_seconds * 1_000_000
        return (Insert(COMPLAINTS, {"complaint_id": str(event.originator_id), "deadline_at": deadline}),)

    @changes.register
    def _(self, event: Complaint.Assigned) -> Sequence[Change]:
        return (_assignment(event),)

    @changes.register
    def _(self, event: Complaint.Reassigned) -> Sequence[Change]:
        return (Update(ASSIGNMENTS, _current(event), set={"holding": 0}), _assignment(event))

    @changes.register
    def _(self, event: Complaint.Responded) -> Sequence[Change]:
        return (Update(ASSIGNMENTS, _current(event), fill={"responded_at": micros(event.timestamp)}),)

    @changes.register
    def _(self, event: Complaint.Resolved) -> Sequence[Change]:
        return (Update(ASSIGNMENTS, _current(event), add={"resolved": 1}),)

    @changes.register
    def _(self, event: Complaint.Reopened) -> Sequence[Change]:
        return (Update(ASSIGNMENTS, _current(event), add={"reopened": 1}),)
