"""Open311's word for every complaint event, and the update status each event gives on its own
(the update view reads events one at a time), checked against the complaint itself."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from eventsourcing.utils import get_topic
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.clock import ManualClock
from application.commands import (
    Assign,
    Clarify,
    MarkDuplicate,
    Register,
    Reject,
    Reopen,
    RequestClarification,
    Resolve,
    Respond,
)
from application.complaints import ComplaintService
from application.open311.states import detailed, detailed_after, note
from application.projections.open311_updates import Open311UpdateProjection
from domain.complaint import SOURCE_FACTS, Complaint
from domain.errors import MoveRefused

T0 = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
OPERATOR = "operator:Анна"


def _event_classes() -> list[type[Any]]:
    # The library's own base classes (Event, and the default Created) are never recorded.
    bases = (Complaint.Event, Complaint.Created)
    return [
        value
        for value in vars(Complaint).values()
        if isinstance(value, type) and issubclass(value, Complaint.Event) and value not in bases
    ]


@pytest.mark.parametrize("event_class", _event_classes(), ids=lambda cls: cls.__name__)
def test_every_complaint_event_has_an_open311_note_and_an_update(event_class: type[Any]) -> None:
    assert note.dispatch(event_class) is not note.dispatch(object)
    # A fact about a post on a network moves nothing a partner follows: no update of its own.
    assert (get_topic(event_class) in Open311UpdateProjection.topics) is (event_class not in SOURCE_FACTS)


MOVES = {
    "clarification": lambda c, _: RequestClarification(c, question="Где?", actor=OPERATOR),
    "clarify": lambda c, _: Clarify(c, text="Пушкинская, 150", actor="vk:1"),
    "reject": lambda c, _: Reject(c, reason="Не по адресу", actor=OPERATOR),
    "assign": lambda c, _: Assign(c, organisation="ДАД", actor=OPERATOR),
    "reassign": lambda c, _: Assign(c, organisation="ДГХ", actor=OPERATOR),
    "respond": lambda c, _: Respond(c, text="Бригада выехала", actor=OPERATOR),
    "resolve": lambda c, _: Resolve(c, text="Готово", actor=OPERATOR),
    "reopen": lambda c, _: Reopen(c, reason="Снова", actor=OPERATOR),
    "duplicate": lambda c, other: MarkDuplicate(c, original_id=other, actor=OPERATOR),
}


@settings(max_examples=60, deadline=None)
@given(moves=st.lists(st.sampled_from(list(MOVES)), max_size=14))
def test_each_events_status_is_the_complaints_status_after_it(moves: list[str]) -> None:
    clock = ManualClock(T0)
    service = ComplaintService(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, clock=clock, id_key=b"test")

    def registered(ref: str) -> Any:
        fields = {"author_ref": "vk:1", "text": "Яма", "received_at": T0, "actor": "intake:vk"}
        return service.register(Register(channel="vk", source_ref=ref, **fields)).complaint_id

    complaint_id, other = registered("a"), registered("b")
    for move in moves:
        clock.advance(timedelta(minutes=5))
        try:
            service.handle(MOVES[move](complaint_id, other))
        except MoveRefused:
            pass
    complaint: Complaint | None = None
    for event in service.repository.event_store.get(complaint_id):
        complaint = event.mutate(complaint)
        assert complaint is not None
        assert detailed_after(event) == detailed(complaint.status), type(event).__name__
    service.close()
