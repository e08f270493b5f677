"""ComplaintService.handle: each command reaches its own domain move, with its values; anything
else is refused before the store is touched."""

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from adapters.clock import ManualClock
from application.commands import (
    Assign,
    Clarify,
    ComplaintCommand,
    MarkDuplicate,
    Register,
    Reject,
    Reopen,
    RequestClarification,
    Resolve,
    Respond,
)
from application.complaints import ComplaintService
from application.errors import ComplaintNotFound, StaleVersion
from domain.complaint import Complaint

T0 = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
KEY = b"test"
OPERATOR = "operator:Анна"
COMPLAINT = Complaint.create_id("vk", "wall-1_1", key=KEY)
ORIGINAL = Complaint.create_id("vk", "wall-1_2", key=KEY)
MISSING = Complaint.create_id("vk", "wall-1_3", key=KEY)
MOVES = (
    "request_clarification",
    "clarify",
    "reject",
    "assign",
    "respond",
    "resolve",
    "reopen",
    "mark_duplicate",
)

# (the command, the domain move it must reach, that move's positional and keyword arguments)
CASES = [
    (
        RequestClarification(COMPLAINT, question="Где это?", actor=OPERATOR),
        "request_clarification",
        ("Где это?",),
        {"actor": OPERATOR},
    ),
    (
        Clarify(COMPLAINT, text="У дома 150", address="Пушкинская, 150", actor="intake:vk"),
        "clarify",
        ("У дома 150",),
        {"address": "Пушкинская, 150", "actor": "intake:vk"},
    ),
    (Reject(COMPLAINT, reason="Реклама", actor=OPERATOR), "reject", ("Реклама",), {"actor": OPERATOR}),
    (
        Assign(COMPLAINT, organisation="ДГХ", executor="Иванов", actor=OPERATOR),
        "assign",
        ("ДГХ",),
        {"executor": "Иванов", "actor": OPERATOR},
    ),
    (Respond(COMPLAINT, text="Передано в ДГХ", actor=OPERATOR), "respond", ("Передано в ДГХ",), {"actor": OPERATOR}),
    (Resolve(COMPLAINT, text="Яму заделали", actor=OPERATOR), "resolve", ("Яму заделали",), {"actor": OPERATOR}),
    (Reopen(COMPLAINT, reason="Яма снова", actor=OPERATOR), "reopen", ("Яма снова",), {"actor": OPERATOR}),
    (
        MarkDuplicate(COMPLAINT, original_id=ORIGINAL, actor=OPERATOR),
        "mark_duplicate",
        (ORIGINAL,),
        {"actor": OPERATOR},
    ),
]


@pytest.fixture
def service() -> Iterator[ComplaintService]:
    service = ComplaintService(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, clock=ManualClock(T0), id_key=KEY)
    for ref in ("wall-1_1", "wall-1_2"):
        service.register(
            Register(channel="vk", source_ref=ref, author_ref="vk:1", text="Яма", received_at=T0, actor="intake:vk")
        )
    yield service
    service.close()


@pytest.fixture
def moves(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, Any, tuple[Any, ...], dict[str, Any]]]:
    """Every domain move replaced by one that only notes its call, whatever the complaint's state."""
    calls: list[tuple[str, Any, tuple[Any, ...], dict[str, Any]]] = []
    for name in MOVES:

        def noted(complaint: Complaint, *args: Any, _name: str = name, **kwargs: Any) -> None:
            calls.append((_name, complaint.id, args, kwargs))

        monkeypatch.setattr(Complaint, name, noted)
    return calls


def test_the_cases_cover_every_domain_move_once() -> None:
    assert sorted(move for _, move, _, _ in CASES) == sorted(MOVES)


@pytest.mark.parametrize(("command", "move", "args", "kwargs"), CASES, ids=[move for _, move, _, _ in CASES])
def test_each_command_reaches_its_domain_move_and_no_other(
    service: ComplaintService,
    moves: list[tuple[str, Any, tuple[Any, ...], dict[str, Any]]],
    command: ComplaintCommand,
    move: str,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
) -> None:
    view = service.handle(command)
    assert moves == [(move, COMPLAINT, args, {**kwargs, "at": T0})]
    assert view.id == COMPLAINT


def test_a_command_carries_the_version_its_caller_saw(service: ComplaintService) -> None:
    with pytest.raises(StaleVersion):
        service.handle(Assign(COMPLAINT, organisation="ДГХ", actor=OPERATOR, expected_version=2))
    assert service.handle(Assign(COMPLAINT, organisation="ДГХ", actor=OPERATOR, expected_version=1)).version == 2


def test_a_duplicate_of_a_complaint_never_registered_is_refused_before_any_move(
    service: ComplaintService, moves: list[tuple[str, Any, tuple[Any, ...], dict[str, Any]]]
) -> None:
    with pytest.raises(ComplaintNotFound) as refused:
        service.handle(MarkDuplicate(COMPLAINT, original_id=MISSING, actor=OPERATOR))
    assert refused.value.complaint_id == MISSING
    assert moves == []


class Escalate(ComplaintCommand):
    """A move the service has no handler for."""


@pytest.mark.parametrize(
    "command",
    [
        Escalate(COMPLAINT, actor=OPERATOR),
        ComplaintCommand(COMPLAINT, actor=OPERATOR),
        Register(channel="vk", source_ref="wall-1_9", author_ref="vk:9", text="Яма", received_at=T0, actor="intake:vk"),
        object(),
    ],
    ids=["unknown move", "no move", "registration", "not a command"],
)
def test_anything_but_a_known_move_is_refused_and_nothing_is_recorded(
    service: ComplaintService, moves: list[tuple[str, Any, tuple[Any, ...], dict[str, Any]]], command: object
) -> None:
    recorded = service.recorder.max_notification_id()
    with pytest.raises(TypeError, match="is not a move the complaint service handles"):
        service.handle(command)  # type: ignore[arg-type]
    assert moves == []
    assert service.recorder.max_notification_id() == recorded
