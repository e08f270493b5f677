"""Reaction figures: how fast the centre gave citizens their first public reply.

One row per complaint with its deadlines and first reaction, and tallies kept beside them per
Moscow day: the counts, and the answered reactions per whole minute (how many, and their sum).
A report reads the tallies of its days, not every complaint, so the median and the 90th
percentile are estimated within their minute (at most a minute off; exact where a minute holds
one reaction), while every count and share is exact. The complaints still waiting are judged
against the caller's clock.
"""

from abc import abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, NamedTuple
from uuid import UUID

from eventsourcing.dispatch import singledispatchmethod

from application.projections.view import ChangeProjection, View
from domain.complaint import Complaint


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
    """Complaints received from ``received_from`` and before ``received_before``: each the start
    of a Moscow day (the figures are kept per day), or None for no bound."""

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


# What an event changes in the figures: each complaint's reaction clock.


@dataclass(frozen=True, slots=True)
class ClockStart:
    """A complaint registered: its clock runs from its receipt towards the target and the norm."""

    complaint_id: UUID
    received_at: datetime
    channel: str
    category: str | None
    target: datetime
    deadline: datetime


@dataclass(frozen=True, slots=True)
class Handover:
    """The organisation now holding the complaint, whose figures it counts in."""

    complaint_id: UUID
    organisation: str


@dataclass(frozen=True, slots=True)
class Reply:
    """A public reply: the first one is the reaction and stops the clock; later ones change nothing."""

    complaint_id: UUID
    at: datetime


@dataclass(frozen=True, slots=True)
class ClockStop:
    """The clock stops without a reaction (a duplicate), unless it stopped before."""

    complaint_id: UUID
    at: datetime


ReactionChange = ClockStart | Handover | Reply | ClockStop


class ReactionView(View[ReactionChange]):
    @abstractmethod
    def figures(self, query: ReactionQuery, now: datetime) -> list[ReactionFigures]: ...

    @abstractmethod
    def overdue(self, by: Dimension, now: datetime) -> dict[str | None, int]:
        """How many complaints, whenever received, are unanswered past the norm at ``now``, per
        key of ``by`` (the keys with none left out): what figures() counts as overdue_now."""


# The width of the bins reaction times are counted in, in microseconds: a minute.
BIN_MICROS = 60_000_000


class ReactionBin(NamedTuple):
    """The answered reactions of one bin, [index, index + 1) times BIN_MICROS long (a tuple: a
    report builds thousands)."""

    index: int
    count: int
    total_micros: int


def percentile(bins: Sequence[ReactionBin], numerator: int, denominator: int) -> float:
    """The percentile numerator/denominator (microseconds) of the reactions counted in ``bins``
    (ordered by index, none empty), interpolated between the closest ranks as PostgreSQL's
    percentile_cont does. Within a bin the reactions are taken as spread evenly about their
    mean, so each rank's value, and the result, stay within the bin of the exact one."""
    offset, remainder = divmod((sum(b.count for b in bins) - 1) * numerator, denominator)
    low = _ranked(bins, offset)
    if remainder == 0:
        return low
    return low + (_ranked(bins, offset + 1) - low) * remainder / denominator


def _ranked(bins: Sequence[ReactionBin], rank: int) -> float:
    for found in bins:
        if rank < found.count:
            start = found.index * BIN_MICROS
            mean = found.total_micros / found.count
            half = min(mean - start, start + BIN_MICROS - mean)
            return mean + (rank - (found.count - 1) / 2) * 2 * half / found.count
        rank -= found.count
    raise IndexError("rank beyond the counted reactions")


class ReactionProjection(ChangeProjection):
    name = "reaction"

    @singledispatchmethod
    def changes(self, domain_event: Any) -> Sequence[ReactionChange]:
        return ()

    @changes.register
    def _(self, event: Complaint.Registered) -> Sequence[ReactionChange]:
        received = event.received_at
        return (
            ClockStart(
                complaint_id=event.originator_id,
                received_at=received,
                channel=event.channel,
                category=event.category,
                target=received + timedelta(seconds=event.reaction_target_seconds),
                deadline=received + timedelta(seconds=event.reaction_norm_seconds),
            ),
        )

    @changes.register(Complaint.Assigned)
    @changes.register(Complaint.Reassigned)
    def _(self, event: Any) -> Sequence[ReactionChange]:
        return (Handover(event.originator_id, event.organisation),)

    @changes.register(Complaint.ClarificationRequested)
    @changes.register(Complaint.Rejected)
    @changes.register(Complaint.Responded)
    def _(self, event: Any) -> Sequence[ReactionChange]:
        return (Reply(event.originator_id, event.timestamp),)

    @changes.register
    def _(self, event: Complaint.MarkedDuplicate) -> Sequence[ReactionChange]:
        return (ClockStop(event.originator_id, event.timestamp),)
