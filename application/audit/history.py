"""Time travel: a complaint as it stood at a moment or version, and what each event changed."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from application.audit.ports import EventPositions
from application.complaints import ComplaintService
from application.errors import ApplicationError, ComplaintNotFound
from application.moments import written
from application.views import ComplaintView
from domain.complaint import Complaint
from domain.seal import ENVELOPE

# What an auditor compares between two moments; the reaction clock is derived, not stored.
_TRACKED = (
    "status",
    "channel",
    "source_ref",
    "author_ref",
    "text",
    "address",
    "category",
    "district",
    "organisation",
    "executor",
    "clarification_question",
    "clarification",
    "rejection_reason",
    "responses",
    "resolution",
    "duplicate_of",
    "reopen_count",
    "reacted_at",
    "closed_at",
    "edited_text",
    "source_deleted",
    "attachments",
)


class NotYetRegistered(ApplicationError):
    def __init__(self, complaint_id: UUID, moment: datetime) -> None:
        super().__init__(f"complaint {complaint_id} was not yet registered at {written(moment)}")


class NoSuchVersion(ApplicationError):
    def __init__(self, complaint_id: UUID, version: int, latest: int) -> None:
        super().__init__(f"complaint {complaint_id} has versions 1 to {latest}, not {version}")


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    type: str
    version: int
    position: int | None
    at: datetime
    actor: str
    seal: str
    data: dict[str, Any]
    changes: dict[str, tuple[Any, Any]]


def _tracked(complaint: Complaint | None) -> dict[str, Any]:
    if complaint is None:
        return {}
    values = {name: getattr(complaint, name) for name in _TRACKED}
    values["status"] = complaint.status.value
    values["responses"] = tuple(complaint.responses)
    return values


def _diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    return {
        name: (before.get(name), value)
        for name, value in after.items()
        if before.get(name) != value and not (name not in before and value in (None, (), 0))
    }


class ComplaintHistory:
    def __init__(self, complaints: ComplaintService, positions: EventPositions) -> None:
        self.complaints = complaints
        self.positions = positions

    def events(self, complaint_id: UUID) -> list[Any]:
        events = list(self.complaints.repository.event_store.get(complaint_id))
        if not events:
            raise ComplaintNotFound(complaint_id)
        return events

    def entries(self, complaint_id: UUID) -> list[HistoryEntry]:
        """Every event with its position in the global log and the fields it changed."""
        positions = self.positions.of(complaint_id)
        entries: list[HistoryEntry] = []
        complaint: Complaint | None = None
        for event in self.events(complaint_id):
            before = _tracked(complaint)
            complaint = event.mutate(complaint)
            entries.append(
                HistoryEntry(
                    type=type(event).__name__,
                    version=event.originator_version,
                    position=positions.get(event.originator_version),
                    at=event.timestamp,
                    actor=event.actor,
                    seal=event.seal,
                    data={k: v for k, v in vars(event).items() if k not in ENVELOPE | {"timestamp", "actor"}},
                    changes=_diff(before, _tracked(complaint)),
                )
            )
        return entries

    def as_of(self, complaint_id: UUID, moment: datetime) -> ComplaintView:
        """The complaint as it stood at the moment, with its reaction clock read at that moment."""
        complaint: Complaint | None = None
        for event in self.events(complaint_id):
            if event.timestamp > moment:
                break
            complaint = event.mutate(complaint)
        if complaint is None:
            raise NotYetRegistered(complaint_id, moment)
        return ComplaintView.of(complaint, moment)

    def at_version(self, complaint_id: UUID, version: int) -> ComplaintView:
        events = self.events(complaint_id)
        if not 1 <= version <= len(events):
            raise NoSuchVersion(complaint_id, version, len(events))
        complaint: Complaint | None = None
        for event in events[:version]:
            complaint = event.mutate(complaint)
        assert complaint is not None
        return ComplaintView.of(complaint, events[version - 1].timestamp)
