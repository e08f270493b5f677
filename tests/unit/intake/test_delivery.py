"""The delivery aggregate: each step allowed only where it makes sense, and the board's table."""

from datetime import timedelta
from uuid import uuid4

import pytest

from domain.delivery import (
    STATE_AFTER,
    Delivery,
    DeliveryRefused,
    DeliveryState,
    ReplyKind,
)
from tests.fixtures import START


def scheduled() -> Delivery:
    return Delivery.schedule(
        complaint_id=uuid4(),
        complaint_version=2,
        kind=ReplyKind.RESPONSE,
        channel="vk",
        source_ref="wall-1_1",
        text="Ответ",
        at=START,
    )


def test_one_delivery_per_complaint_event() -> None:
    complaint_id = uuid4()
    assert Delivery.create_id(complaint_id, 2) == Delivery.create_id(complaint_id, 2)
    assert Delivery.create_id(complaint_id, 2) != Delivery.create_id(complaint_id, 3)


def test_a_send_is_claimed_before_and_settled_after() -> None:
    delivery = scheduled()
    assert delivery.is_due(START)
    delivery.claim(at=START)
    assert (delivery.state, delivery.attempts) == (DeliveryState.SENDING, 1)
    assert not delivery.is_due(START)
    delivery.defer("flood control", retry_at=START + timedelta(minutes=1), at=START)
    assert not delivery.is_due(START) and delivery.is_due(START + timedelta(minutes=1))
    delivery.claim(at=START + timedelta(minutes=1))
    delivery.confirm_sent("wall-1_1/5", at=START + timedelta(minutes=1))
    assert (delivery.state, delivery.attempts, delivery.external_ref) == (DeliveryState.SENT, 2, "wall-1_1/5")


def test_outcomes_need_an_attempt_in_progress_and_only_failures_are_requeued() -> None:
    delivery = scheduled()
    with pytest.raises(DeliveryRefused):
        delivery.confirm_sent("x", at=START)
    with pytest.raises(DeliveryRefused):
        delivery.requeue(actor="operator:anna", at=START)
    delivery.claim(at=START)
    with pytest.raises(DeliveryRefused):
        delivery.claim(at=START)
    delivery.leave_unconfirmed("interrupted", at=START)
    delivery.requeue(actor="operator:anna", at=START)
    assert delivery.state is DeliveryState.RETRYING and delivery.is_due(START)


def test_the_boards_table_agrees_with_the_aggregate() -> None:
    delivery = scheduled()
    steps = [
        lambda d: d.claim(at=START),
        lambda d: d.defer("busy", retry_at=START, at=START),
        lambda d: d.claim(at=START),
        lambda d: d.fail("access denied", at=START),
        lambda d: d.requeue(actor="operator:anna", at=START),
        lambda d: d.claim(at=START),
        lambda d: d.leave_unconfirmed("interrupted", at=START),
        lambda d: d.requeue(actor="operator:anna", at=START),
        lambda d: d.claim(at=START),
        lambda d: d.confirm_sent("ref", at=START),
    ]
    assert STATE_AFTER[Delivery.Scheduled] is delivery.state
    for step in steps:
        step(delivery)
        last_event = delivery.pending_events[-1]
        assert STATE_AFTER[type(last_event)] is delivery.state
