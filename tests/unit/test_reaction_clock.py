"""The reaction clock against a controlled clock: 2 h target, 4 h norm, stop at the reply."""

from datetime import UTC, datetime, timedelta

import pytest

from domain.reaction import (
    ClockState,
    ReactionDeadline,
    ReactionPolicy,
    ResolutionDeadline,
    ResolutionState,
)

POSTED = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
POLICY = ReactionPolicy()


@pytest.mark.parametrize(
    ("elapsed", "state"),
    [
        (timedelta(0), ClockState.WITHIN_TARGET),
        (timedelta(hours=2), ClockState.WITHIN_TARGET),
        (timedelta(hours=2, seconds=1), ClockState.PAST_TARGET),
        (timedelta(hours=4), ClockState.PAST_TARGET),
        (timedelta(hours=4, seconds=1), ClockState.OVERDUE),
    ],
)
def test_a_running_clock_reads_against_now(elapsed: timedelta, state: ClockState) -> None:
    clock = ReactionDeadline.starting(POSTED, POLICY)
    assert clock.state(POSTED + elapsed) is state
    assert clock.running and clock.reaction_time is None


def test_the_clock_stops_at_the_reply_and_keeps_its_reading() -> None:
    clock = ReactionDeadline.starting(POSTED, POLICY, reacted_at=POSTED + timedelta(hours=3))
    assert clock.state(POSTED + timedelta(days=10)) is ClockState.PAST_TARGET
    assert clock.reaction_time == timedelta(hours=3)
    assert not clock.running


def test_norm_and_target_are_configurable() -> None:
    strict = ReactionPolicy(norm=timedelta(hours=1), target=timedelta(minutes=30))
    clock = ReactionDeadline.starting(POSTED, strict)
    assert clock.state(POSTED + timedelta(minutes=45)) is ClockState.PAST_TARGET
    assert clock.state(POSTED + timedelta(minutes=61)) is ClockState.OVERDUE


@pytest.mark.parametrize(
    ("norm", "target"),
    [(timedelta(hours=2), timedelta(hours=3)), (timedelta(hours=4), timedelta(0))],
)
def test_a_target_beyond_the_norm_is_refused(norm: timedelta, target: timedelta) -> None:
    with pytest.raises(ValueError, match="target"):
        ReactionPolicy(norm=norm, target=target)


def test_the_resolution_deadline_is_thirty_days_by_default() -> None:
    deadline = ResolutionDeadline(deadline=POSTED + POLICY.resolution, closed_at=None)
    assert deadline.state(POSTED + timedelta(days=30)) is ResolutionState.ON_TIME
    assert deadline.state(POSTED + timedelta(days=30, seconds=1)) is ResolutionState.OVERDUE
