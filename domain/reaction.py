"""The reaction clock: how long the centre took, or has had, to answer the citizen.

The norm (4 h) and the centre's own target (2 h) run from the moment the citizen published,
not from registration, because that is what the citizen experiences. The policy in force at
registration is recorded with the complaint, so a later change of settings never rewrites
the history of old complaints.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class ClockState(StrEnum):
    WITHIN_TARGET = "within_target"
    PAST_TARGET = "past_target"
    OVERDUE = "overdue"


class ResolutionState(StrEnum):
    ON_TIME = "on_time"
    OVERDUE = "overdue"


@dataclass(frozen=True, slots=True)
class ReactionPolicy:
    norm: timedelta = timedelta(hours=4)
    target: timedelta = timedelta(hours=2)
    resolution: timedelta = timedelta(days=30)

    def __post_init__(self) -> None:
        if not timedelta(0) < self.target <= self.norm:
            raise ValueError("the reaction target must be positive and no longer than the norm")
        if self.resolution < self.norm:
            raise ValueError("the resolution period must not be shorter than the reaction norm")


@dataclass(frozen=True, slots=True)
class ReactionDeadline:
    """The reaction deadlines of one complaint and where its clock stands at a moment."""

    received_at: datetime
    target: datetime
    deadline: datetime
    reacted_at: datetime | None
    stopped_at: datetime | None

    @classmethod
    def starting(
        cls,
        received_at: datetime,
        policy: ReactionPolicy,
        reacted_at: datetime | None = None,
        stopped_at: datetime | None = None,
    ) -> "ReactionDeadline":
        return cls(
            received_at=received_at,
            target=received_at + policy.target,
            deadline=received_at + policy.norm,
            reacted_at=reacted_at,
            stopped_at=stopped_at,
        )

    def state(self, now: datetime) -> ClockState:
        measured_at = self.reacted_at or self.stopped_at or now
        if measured_at <= self.target:
            return ClockState.WITHIN_TARGET
        if measured_at <= self.deadline:
            return ClockState.PAST_TARGET
        return ClockState.OVERDUE

    @property
    def running(self) -> bool:
        return self.reacted_at is None and self.stopped_at is None

    @property
    def reaction_time(self) -> timedelta | None:
        if self.reacted_at is None:
            return None
        return self.reacted_at - self.received_at


@dataclass(frozen=True, slots=True)
class ResolutionDeadline:
    deadline: datetime
    closed_at: datetime | None

    def state(self, now: datetime) -> ResolutionState:
        measured_at = self.closed_at or now
        return ResolutionState.ON_TIME if measured_at <= self.deadline else ResolutionState.OVERDUE
