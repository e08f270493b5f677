"""The complaint aggregate on its own: lifecycle rules, invariants, events."""

from datetime import UTC, datetime, timedelta
from uuid import NAMESPACE_URL, uuid4, uuid5

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.complaint import Complaint
from domain.errors import InvalidComplaint, MoveRefused
from domain.lifecycle import ALLOWED, Move, Status, allowed_moves
from domain.reaction import ReactionPolicy

T0 = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
KEY = b"installation key"
# How ids were made before they were keyed: from the channel and the post alone.
UNKEYED = uuid5(NAMESPACE_URL, "urn:mcu:complaint-source")


def registered(**overrides: object) -> Complaint:
    fields: dict[str, object] = dict(
        channel="vk",
        source_ref="wall-1_123",
        author_ref="vk:id777",
        text="Яма на Стачки 200",
        received_at=T0 - timedelta(minutes=10),
        policy=ReactionPolicy(),
        actor="intake:vk",
        at=T0,
        id_key=KEY,
    )
    fields.update(overrides)
    return Complaint.register(**fields)  # type: ignore[arg-type]


def test_registration_records_the_post_and_starts_the_clock_at_publication() -> None:
    complaint = registered()
    (event,) = complaint.collect_events()
    assert isinstance(event, Complaint.Registered)
    assert event.timestamp == T0 and event.actor == "intake:vk"
    assert complaint.status is Status.REGISTERED
    assert complaint.reaction.deadline == T0 - timedelta(minutes=10) + timedelta(hours=4)
    assert complaint.reaction.target == T0 - timedelta(minutes=10) + timedelta(hours=2)


def test_the_same_post_on_the_same_channel_has_the_same_id() -> None:
    assert Complaint.create_id("vk", "wall-1_1", key=KEY) == Complaint.create_id("vk", "wall-1_1", key=KEY)
    assert Complaint.create_id("vk", "wall-1_1", key=KEY) != Complaint.create_id("ok", "wall-1_1", key=KEY)
    assert registered().id == Complaint.create_id("vk", "wall-1_123", key=KEY)


@given(st.sampled_from(["vk", "ok", "telegram", "gosuslugi"]), st.text(min_size=1, max_size=40))
def test_an_id_cannot_be_computed_from_the_post_without_the_installation_s_key(channel: str, ref: str) -> None:
    """ПОС appeal numbers are sequential and post ids public: an id computed from them alone
    let a token holder find other people's complaints by guessing."""
    assert Complaint.create_id(channel, ref, key=KEY) != Complaint.create_id(channel, ref, key=b"another")
    assert Complaint.create_id(channel, ref, key=KEY) != uuid5(UNKEYED, f"{channel}\x1f{ref}")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("channel", "fax", "unknown channel"),
        ("text", "   ", "must not be empty"),
        ("text", "я" * 10_001, "longer than 10000"),
        ("received_at", datetime(2026, 11, 28, 9), "time zone"),
        ("author_ref", "", "must not be empty"),
    ],
)
def test_registration_refuses_invalid_values(field: str, value: object, message: str) -> None:
    with pytest.raises(InvalidComplaint, match=message):
        registered(**{field: value})


def test_the_spine_registered_assigned_responded_resolved() -> None:
    complaint = registered()
    complaint.assign("ДГХ", executor="Иванов", actor="operator:anna", at=T0 + timedelta(minutes=5))
    complaint.respond("Передано в ДГХ", actor="operator:anna", at=T0 + timedelta(minutes=30))
    complaint.resolve("Яму заделали", actor="executor:dgh", at=T0 + timedelta(days=2))
    names = [type(e).__name__ for e in complaint.collect_events()]
    assert names == ["Registered", "Assigned", "Responded", "Resolved"]
    assert complaint.status is Status.RESOLVED
    assert complaint.reaction.reaction_time == timedelta(minutes=40)


def test_a_refused_move_names_the_state_and_the_move_and_records_nothing() -> None:
    complaint = registered()
    complaint.collect_events()
    with pytest.raises(MoveRefused, match="cannot resolve a complaint that is registered"):
        complaint.resolve("Готово", actor="operator:anna", at=T0)
    assert complaint.collect_events() == []
    assert complaint.version == 1


def test_assigning_again_reassigns_and_remembers_the_previous_organisation() -> None:
    complaint = registered()
    complaint.assign("ДГХ", actor="operator:anna", at=T0)
    complaint.assign("Водоканал", actor="operator:anna", at=T0)
    event = complaint.collect_events()[-1]
    assert isinstance(event, Complaint.Reassigned)
    assert (event.previous_organisation, event.organisation) == ("ДГХ", "Водоканал")
    with pytest.raises(MoveRefused, match="already assigned to Водоканал"):
        complaint.assign("Водоканал", actor="operator:anna", at=T0)


def test_clarification_round_trip_updates_the_address() -> None:
    complaint = registered(text="Опять яма, сколько можно")
    complaint.request_clarification("Уточните адрес", actor="operator:anna", at=T0)
    assert complaint.status is Status.CLARIFICATION_REQUESTED
    complaint.clarify("Стачки 200", address="проспект Стачки, 200", actor="intake:vk", at=T0)
    assert complaint.status is Status.REGISTERED
    assert complaint.address == "проспект Стачки, 200"


def test_reopening_goes_back_to_assigned_with_the_same_organisation() -> None:
    complaint = registered()
    complaint.assign("ДГХ", actor="o", at=T0)
    complaint.respond("Принято", actor="o", at=T0)
    complaint.resolve("Сделано", actor="o", at=T0)
    complaint.reopen("Яма снова открылась", actor="o", at=T0 + timedelta(days=3))
    assert complaint.status is Status.ASSIGNED
    assert complaint.organisation == "ДГХ" and complaint.reopen_count == 1
    assert complaint.resolution_deadline.closed_at is None


def test_a_complaint_cannot_duplicate_itself() -> None:
    complaint = registered()
    with pytest.raises(InvalidComplaint, match="itself"):
        complaint.mark_duplicate(complaint.id, actor="o", at=T0)
    complaint.mark_duplicate(uuid4(), actor="o", at=T0)
    assert complaint.status is Status.DUPLICATE


def test_closed_states_allow_nothing_but_reopening_a_resolution() -> None:
    assert allowed_moves(Status.REJECTED) == frozenset()
    assert allowed_moves(Status.DUPLICATE) == frozenset()
    assert allowed_moves(Status.RESOLVED) == {Move.REOPEN}
    assert all(sources for sources in ALLOWED.values())


def test_the_domain_never_asks_for_naive_times() -> None:
    complaint = registered()
    with pytest.raises(InvalidComplaint, match="time zone"):
        complaint.assign("ДГХ", actor="o", at=datetime(2026, 11, 28, 12))
