"""Finding what changed in a span of time by bisecting the log, and Open311's word for every event."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.clock import ManualClock
from application.complaints import ComplaintService
from application.open311.changed import changed_between
from application.open311.states import note
from domain.complaint import Complaint

T0 = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
OPERATOR = "operator:Анна"


@pytest.fixture(scope="module")
def history() -> Iterator[ComplaintService]:
    """Forty complaints over ten days, each answered a few hours later, interleaved in the log
    as a working day interleaves them."""
    clock = ManualClock(T0)
    service = ComplaintService(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, clock=clock)
    pending: list[UUID] = []
    for n in range(40):
        clock.advance(timedelta(hours=6))
        pending.append(
            service.register(
                channel="vk",
                source_ref=f"wall-1_{n}",
                author_ref="vk:1",
                text="Яма",
                received_at=clock.now(),
                actor="intake:vk",
            ).complaint_id
        )
        if n % 3 == 2:
            clock.advance(timedelta(minutes=40))
            for complaint_id in pending:
                service.assign(complaint_id, organisation="ДАД", actor=OPERATOR)
            pending = []
    yield service
    service.close()


def _brute_force(service: ComplaintService, start: datetime, end: datetime) -> list[UUID]:
    changed: dict[UUID, None] = {}
    for notification in service.recorder.select_notifications(start=1, limit=10_000):
        event = service.mapper.to_domain_event(notification)
        if start <= event.timestamp <= end:
            changed.setdefault(event.originator_id)
    return list(changed)


@settings(max_examples=80, deadline=None)
@given(first=st.integers(min_value=-24 * 60, max_value=12 * 24 * 60), minutes=st.integers(min_value=0, max_value=4000))
def test_bisection_finds_every_aggregate_a_full_scan_finds(history: ComplaintService, first: int, minutes: int) -> None:
    start = T0 + timedelta(minutes=first)
    end = start + timedelta(minutes=minutes)
    found = changed_between(history, start, end, slack=timedelta(0), batch=7)
    assert found == _brute_force(history, start, end)


def test_an_empty_log_has_no_changes() -> None:
    service = ComplaintService(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, clock=ManualClock(T0))
    assert changed_between(service, T0 - timedelta(days=1), T0) == []


def test_writers_racing_within_the_slack_are_still_found() -> None:
    clock = ManualClock(T0)
    service = ComplaintService(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, clock=clock)
    first = service.register(
        channel="vk", source_ref="a", author_ref="vk:1", text="Яма", received_at=T0, actor="intake:vk"
    ).complaint_id
    # The second writer took its time earlier but appended later, as a racing save can.
    clock.set(T0 - timedelta(seconds=2))
    second = service.register(
        channel="vk",
        source_ref="b",
        author_ref="vk:1",
        text="Яма",
        received_at=T0 - timedelta(seconds=2),
        actor="intake:vk",
    ).complaint_id
    assert changed_between(service, T0 - timedelta(seconds=2), T0 - timedelta(seconds=1)) == [first, second]


def _event_classes() -> list[type[Any]]:
    # The library's own base classes (Event, and the default Created) are never recorded.
    bases = (Complaint.Event, Complaint.Created)
    return [
        value
        for value in vars(Complaint).values()
        if isinstance(value, type) and issubclass(value, Complaint.Event) and value not in bases
    ]


@pytest.mark.parametrize("event_class", _event_classes(), ids=lambda cls: cls.__name__)
def test_every_complaint_event_has_an_open311_note(event_class: type[Any]) -> None:
    assert note.dispatch(event_class) is not note.dispatch(object)
