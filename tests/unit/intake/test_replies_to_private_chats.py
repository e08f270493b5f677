"""Replies in a Telegram private chat: the sealed reference is opened only to answer, our reply's
reference is sealed alike, and once the citizen is forgotten nothing more is sent there."""

from datetime import timedelta

from adapters.clock import ManualClock
from application.backoff import Backoff
from application.commands import Assign, Clarify, Register, RequestClarification, Resolve, Respond
from application.replies.dispatcher import FORGOTTEN, Dispatcher
from application.replies.follower import Follower
from application.replies.worker import ReplyWorker
from domain.delivery import DeliveryState
from interfaces.bootstrap import Services
from tests.fakes.gateway import OutcomeUnknown, RecordingGateway
from tests.fixtures import START

LEASE = timedelta(seconds=30)
RESIDENT = "5550001119"  # a private chat's id is its user's id


def worker(services: Services, clock: ManualClock, gateway: RecordingGateway) -> ReplyWorker:
    dispatcher = Dispatcher(
        replies=services.channels.replies,
        gateways={"telegram": gateway},
        clock=clock,
        backoff=Backoff(5, 60),
        max_attempts=3,
        lease=LEASE,
    )
    return ReplyWorker(Follower(services.complaints, services.channels.replies), dispatcher)


def test_a_private_chat_is_answered_until_its_citizen_is_forgotten(services: Services, clock: ManualClock) -> None:
    gateway = RecordingGateway("telegram", can_confirm=False)
    complaint_id = services.complaints.register(
        Register(
            channel="telegram",
            source_ref=f"{RESIDENT}/1",
            author_ref=f"tg:{RESIDENT}",
            text="Мусор не вывозят",
            received_at=START - timedelta(minutes=5),
            actor="intake:telegram",
        )
    ).complaint_id
    services.complaints.handle(RequestClarification(complaint_id, question="Уточните адрес", actor="op"))
    replies = worker(services, clock, gateway)
    replies.step()
    [asked] = gateway.published
    assert asked.source_ref == f"{RESIDENT}/1"
    [sent] = services.channels.replies.deliveries(DeliveryState.SENT)
    assert RESIDENT not in sent.source_ref and sent.external_ref != "msg-1"
    assert services.complaints.personal_data.open_ref(sent.external_ref) == "msg-1"
    assert services.channels.replies.complaint_for_message("telegram", "msg-1") == complaint_id

    services.complaints.handle(Clarify(complaint_id, text="Беляева 22", address="улица Беляева, 22", actor="intake"))
    services.complaints.handle(Assign(complaint_id, organisation="УК", actor="op"))
    services.complaints.handle(Respond(complaint_id, text="Передано в УК", actor="op"))
    gateway.fail_next(OutcomeUnknown("Telegram did not answer (ReadTimeout)"))
    replies.step()  # the response is left "sending" until its lease runs out
    services.personal_data.forget(f"tg:{RESIDENT}")
    services.complaints.handle(Resolve(complaint_id, text="Вывезено", actor="op"))
    clock.advance(LEASE + timedelta(seconds=1))
    replies.step()
    outcomes = {d.kind.value: (d.state, d.last_error) for d in services.channels.replies.deliveries(*DeliveryState)}
    assert outcomes["response"] == (DeliveryState.UNCONFIRMED, FORGOTTEN)
    assert outcomes["resolution"] == (DeliveryState.FAILED, FORGOTTEN)
    assert len(gateway.published) == 2  # the question, and the response whose answer was lost
