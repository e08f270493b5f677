"""The reply process on the in-memory store with a recording gateway: once, retried, recovered."""

from datetime import timedelta

import pytest

from adapters.clock import ManualClock
from application.backoff import Backoff
from application.channels import ChannelRefused, ChannelUnavailable, OutcomeUnknown
from application.commands import Assign, Register, RequestClarification, Resolve, Respond
from application.replies.dispatcher import Dispatcher
from application.replies.follower import Follower
from application.replies.worker import ReplyWorker
from domain.delivery import DeliveryState
from interfaces.bootstrap import Services
from tests.fakes.gateway import RecordingGateway
from tests.fixtures import START

LEASE = timedelta(seconds=30)


@pytest.fixture
def gateway() -> RecordingGateway:
    return RecordingGateway("vk")


def worker(services: Services, clock: ManualClock, *gateways: RecordingGateway) -> ReplyWorker:
    dispatcher = Dispatcher(
        replies=services.channels.replies,
        gateways={g.channel: g for g in gateways},
        clock=clock,
        backoff=Backoff(5, 60),
        max_attempts=3,
        lease=LEASE,
    )
    return ReplyWorker(Follower(services.complaints, services.channels.replies), dispatcher)


def complaint(services: Services, channel: str = "vk", ref: str = "wall-1_1"):
    registration = services.complaints.register(
        Register(
            channel=channel,
            source_ref=ref,
            author_ref="vk:id1",
            text="Мусор не вывозят, Мясникяна 12",
            received_at=START - timedelta(minutes=5),
            actor="intake:vk",
        )
    )
    return registration.complaint_id


def states(services: Services) -> list[str]:
    return [d.state.value for d in services.channels.replies.deliveries(*DeliveryState)]


def test_each_reply_event_is_delivered_once_on_its_channel(
    services: Services, clock: ManualClock, gateway: RecordingGateway
) -> None:
    complaint_id = complaint(services)
    services.complaints.handle(RequestClarification(complaint_id, question="Уточните адрес", actor="op"))
    replies = worker(services, clock, gateway)
    replies.step()
    replies.step()
    [published] = gateway.published
    assert (published.source_ref, published.kind) == ("wall-1_1", "clarification_request")
    assert published.text.startswith("Уточните адрес\n\nНомер обращения: ")
    assert states(services) == ["sent"]
    # The published message now leads back to its complaint (an author's answer to it).
    assert services.channels.replies.complaint_for_message("vk", "msg-1") == complaint_id


def test_a_restarted_process_resumes_after_the_last_event_it_tracked(
    services: Services, clock: ManualClock, gateway: RecordingGateway
) -> None:
    complaint_id = complaint(services)
    services.complaints.handle(Assign(complaint_id, organisation="ДГХ", actor="op"))
    services.complaints.handle(Respond(complaint_id, text="Передано в УК", actor="op"))
    worker(services, clock, gateway).step()
    services.complaints.handle(Resolve(complaint_id, text="Вывезено", actor="op"))
    worker(services, clock, gateway).step()
    assert [p.kind for p in gateway.published] == ["response", "resolution"]


def test_web_and_phone_complaints_are_not_replied_to_here(services: Services, clock: ManualClock) -> None:
    complaint_id = complaint(services, channel="web", ref="form-1")
    services.complaints.handle(RequestClarification(complaint_id, question="Уточните адрес", actor="op"))
    worker(services, clock).step()
    assert states(services) == []


def test_a_busy_network_is_retried_with_backoff_then_given_up(
    services: Services, clock: ManualClock, gateway: RecordingGateway
) -> None:
    complaint_id = complaint(services)
    services.complaints.handle(RequestClarification(complaint_id, question="Уточните адрес", actor="op"))
    gateway.fail_next(*[ChannelUnavailable("VK: error 9 (Flood control)", retry_after=60)] * 3)
    replies = worker(services, clock, gateway)
    replies.step()
    [delivery] = services.channels.replies.deliveries(DeliveryState.RETRYING)
    assert delivery.retry_at == START + timedelta(seconds=60)
    replies.step()
    assert gateway.published == []  # not yet due
    clock.advance(timedelta(seconds=60))
    replies.step()
    clock.advance(timedelta(seconds=60))
    replies.step()
    [failed] = services.channels.replies.deliveries(DeliveryState.FAILED)
    assert failed.attempts == 3 and "gave up after 3 attempts" in failed.last_error


def test_a_refusal_fails_at_once_and_an_operator_requeues(
    services: Services, clock: ManualClock, gateway: RecordingGateway
) -> None:
    complaint_id = complaint(services)
    services.complaints.handle(RequestClarification(complaint_id, question="Уточните адрес", actor="op"))
    gateway.fail_next(ChannelRefused("VK: error 15 (Access denied)"))
    replies = worker(services, clock, gateway)
    replies.step()
    [failed] = services.channels.replies.deliveries(DeliveryState.FAILED)
    services.channels.replies.requeue(failed.id, actor="operator:anna")
    replies.step()
    assert states(services) == ["sent"] and len(gateway.published) == 1


def test_a_send_without_an_answer_is_checked_with_the_network_not_repeated(
    services: Services, clock: ManualClock, gateway: RecordingGateway
) -> None:
    complaint_id = complaint(services)
    services.complaints.handle(RequestClarification(complaint_id, question="Уточните адрес", actor="op"))
    gateway.fail_next(OutcomeUnknown("VK did not answer (ReadTimeout)"))
    replies = worker(services, clock, gateway)
    replies.step()
    assert states(services) == ["sending"]
    replies.step()
    assert states(services) == ["sending"]  # the lease has not run out
    clock.advance(LEASE)
    replies.step()
    assert states(services) == ["sent"] and len(gateway.published) == 1


def test_a_send_that_never_arrived_is_sent_again_after_the_lease(
    services: Services, clock: ManualClock, gateway: RecordingGateway
) -> None:
    complaint_id = complaint(services)
    services.complaints.handle(RequestClarification(complaint_id, question="Уточните адрес", actor="op"))
    replies = worker(services, clock, gateway)
    replies.follower.pull()
    [delivery] = services.channels.replies.deliveries(DeliveryState.SCHEDULED)
    delivery.claim(at=clock.now())  # as a process that died right after its claim
    services.channels.replies.save(delivery)
    clock.advance(LEASE)
    replies.step()  # the network has nothing: deferred to now
    replies.step()
    assert states(services) == ["sent"] and len(gateway.published) == 1


def test_where_the_network_cannot_tell_the_reply_is_left_to_an_operator(services: Services, clock: ManualClock) -> None:
    telegram = RecordingGateway("telegram", can_confirm=False)
    complaint_id = complaint(services, channel="telegram", ref="-100/5")
    services.complaints.handle(RequestClarification(complaint_id, question="Уточните адрес", actor="op"))
    telegram.fail_next(OutcomeUnknown("Telegram did not answer (ReadTimeout)"))
    replies = worker(services, clock, telegram)
    replies.step()
    clock.advance(LEASE)
    replies.step()
    replies.step()
    assert states(services) == ["unconfirmed"] and len(telegram.published) == 1


def test_a_channel_without_a_gateway_fails_visibly(services: Services, clock: ManualClock) -> None:
    complaint_id = complaint(services, channel="ok", ref="topic/1")
    services.complaints.handle(RequestClarification(complaint_id, question="Уточните адрес", actor="op"))
    worker(services, clock).step()
    [failed] = services.channels.replies.deliveries(DeliveryState.FAILED)
    assert failed.last_error == "no reply gateway is configured for ok"
