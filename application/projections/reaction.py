"""Reaction figures: how fast the centre gave citizens their first public reply.

One row per complaint with its deadlines and first reaction. The figures are aggregated when
asked, so percentiles are exact (every reaction time is counted, none estimated), and the
complaints still waiting are judged against the caller's clock.
"""

from abc import abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from eventsourcing.dispatch import singledispatchmethod

from application.projections.calendar import day_key, micros, month_key, week_key
from application.projections.changes import Change, Insert, Update
from application.projections.view import ChangeProjection, View
from domain.complaint import Complaint

TABLE = "facts"


class Period(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    ALL = "all"


class Dimension(StrEnum):
    CHANNEL = "channel"
    CATEGORY = "category"
    ORGANISATION = "organisation"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class ReactionQuery:
    period: Period = Period.ALL
    by: Dimension = Dimension.NONE
    received_from: datetime | None = None
    received_before: datetime | None = None


@dataclass(frozen=True, slots=True)
class ReactionFigures:
    """``decided`` counts complaints whose outcome against the norm is known: answered, or
    left without an answer past the deadline. Shares are of the decided ones."""

    bucket: str
    key: str | None
    received: int
    answered: int
    decided: int
    within_target: int
    within_norm: int
    overdue_now: int
    median_seconds: float | None
    p90_seconds: float | None

    @property
    def within_target_share(self) -> float | None:
        return self.within_target / self.decided if self.decided else None

    @property
    def within_norm_share(self) -> float | None:
        return self.within_norm / self.decided if self.decided else None


class ReactionView(View):
    @abstractmethod
    def figures(self, query: ReactionQuery, now: datetime) -> list[ReactionFigures]: ...


def percentile(ordered: Sequence[int], numerator: int, denominator: int) -> float:
    """The exact percentile numerator/denominator of ordered values, interpolating linearly
    between the closest ranks (the definition of PostgreSQL's percentile_cont)."""
    offset, remainder = divmod((len(ordered) - 1) * numerator, denominator)
    low = ordered[offset]
    if remainder == 0:
        return float(low)
    return low + (ordered[offset + 1] - low) * remainder / denominator


class ReactionProjection(ChangeProjection):
    name = "reaction"

    @singledispatchmethod
    def changes(self, domain_event: Any) -> Sequence[Change]:
        return ()

    @changes.register
    def _(self, event: Complaint.Registered) -> Sequence[Change]:
        received = micros(event.received_at)
        return (
            Insert(
                TABLE,
                {
                    "complaint_id": str(event.originator_id),
                    "received_at": received,
                    "day": day_key(event.received_at),
                    "week": week_key(event.received_at),
                    "month": month_key(event.received_at),
                    "channel": event.channel,
                    "category": event.category,
                    "organisation": None,
                    "target_at": received + event.reaction_target_seconds * 1_000_000,
                    "deadline_at": received + event.reaction_norm_seconds * 1_000_000,
                    "reacted_at": None,
                    "stopped_at": None,
                },
            ),
        )

    @changes.register(Complaint.Assigned)
    @changes.register(Complaint.Reassigned)
    def _(self, event: Any) -> Sequence[Change]:
        return (Update(TABLE, {"complaint_id": str(event.originator_id)}, set={"organisation": event.organisation}),)

    @changes.register(Complaint.ClarificationRequested)
    @changes.register(Complaint.Rejected)
    @changes.register(Complaint.Responded)
    def _(self, event: Any) -> Sequence[Change]:
        # The first public reply stops the clock; later ones change nothing here.
        return (
            Update(TABLE, {"complaint_id": str(event.originator_id)}, fill={"reacted_at": micros(event.timestamp)}),
        )

    @changes.register
    def _(self, event: Complaint.MarkedDuplicate) -> Sequence[Change]:
        return (
            Update(TABLE, {"complaint_id": str(event.originator_id)}, fill={"stopped_at": micros(event.timestamp)}),
        )
