"""Organisation performance: what each body was handed, answered in time, resolved, had reopened.

One row per assignment, so a body that passed a complaint on keeps it in its "assigned"
figure, and responses, resolutions and reopenings count for the body holding the complaint.
"""

from abc import abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from eventsourcing.dispatch import singledispatchmethod

from application.projections.view import ChangeProjection, View
from domain.complaint import Complaint


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


# What an event changes in the figures. Responses, resolutions and reopenings count for the
# assignment of the organisation holding the complaint.


@dataclass(frozen=True, slots=True)
class Registration:
    """A complaint registered: the deadline its responses are judged against."""

    complaint_id: UUID
    deadline: datetime


@dataclass(frozen=True, slots=True)
class Assignment:
    """The complaint handed to an organisation in the month of ``at``, which holds it from now;
    a reassignment (``reassigning``) ends the previous holder's holding."""

    complaint_id: UUID
    version: int
    at: datetime
    organisation: str
    reassigning: bool


@dataclass(frozen=True, slots=True)
class Response:
    """A response: the holder's first one is when it responded."""

    complaint_id: UUID
    at: datetime


@dataclass(frozen=True, slots=True)
class Resolution:
    complaint_id: UUID


@dataclass(frozen=True, slots=True)
class Reopening:
    complaint_id: UUID


OrganisationChange = Registration | Assignment | Response | Resolution | Reopening


class OrganisationView(View[OrganisationChange]):
    @abstractmethod
    def figures(self, first_month: str | None, last_month: str | None) -> list[OrganisationFigures]:
        """Per organisation, for assignments made in the inclusive month range, most assigned first."""


def _assignment(event: Any, *, reassigning: bool) -> Assignment:
    return Assignment(event.originator_id, event.originator_version, event.timestamp, event.organisation, reassigning)


class OrganisationProjection(ChangeProjection):
    name = "organisations"

    @singledispatchmethod
    def changes(self, domain_event: Any) -> Sequence[OrganisationChange]:
        return ()

    @changes.register
    def _(self, event: Complaint.Registered) -> Sequence[OrganisationChange]:
        return (Registration(event.originator_id, event.received_at + timedelta(seconds=event.reaction_norm_seconds)),)

    @changes.register
    def _(self, event: Complaint.Assigned) -> Sequence[OrganisationChange]:
        return (_assignment(event, reassigning=False),)

    @changes.register
    def _(self, event: Complaint.Reassigned) -> Sequence[OrganisationChange]:
        return (_assignment(event, reassigning=True),)

    @changes.register
    def _(self, event: Complaint.Responded) -> Sequence[OrganisationChange]:
        return (Response(event.originator_id, event.timestamp),)

    @changes.register
    def _(self, event: Complaint.Resolved) -> Sequence[OrganisationChange]:
        return (Resolution(event.originator_id),)

    @changes.register
    def _(self, event: Complaint.Reopened) -> Sequence[OrganisationChange]:
        return (Reopening(event.originator_id),)
