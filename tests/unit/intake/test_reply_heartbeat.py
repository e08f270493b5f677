"""The reply process's heartbeat: alive while it beats, and which channel's sends stopped going."""

from datetime import timedelta

from adapters.clock import ManualClock
from adapters.heartbeats import MemoryHeartbeats
from application.backoff import Backoff
from application.channels import ChannelRefused
from application.commands import RequestClarification
from application.replies.dispatcher import Dispatcher
from application.replies.follower import Follower
from application.replies.heartbeat import NO_GATEWAY, STALE, Beat, Outlook, Pulse, ReplyWatch
from application.replies.worker import ReplyWorker
from interfaces.bootstrap import Services
from tests.fakes.gateway import RecordingGateway
from tests.unit.intake.test_replies import complaint


def _replying(services: Services, clock: ManualClock, gateway: RecordingGateway) -> tuple[ReplyWorker, ReplyWatch]:
    heartbeats = MemoryHeartbeats()
    dispatcher = Dispatcher(
        replies=services.channels.replies,
        gateways={gateway.channel: gateway},
        clock=clock,
        backoff=Backoff(5, 60),
        max_attempts=3,
        lease=timedelta(seconds=30),
    )
    pulse = Pulse(heartbeats, clock, channels=(gateway.channel,), trouble=lambda: dispatcher.trouble)
    worker = ReplyWorker(Follower(services.complaints, services.channels.replies), dispatcher, pulse)
    # Complaints come in from VK and Telegram; this process can reply on VK only.
    watch = ReplyWatch(heartbeats, clock, taking=frozenset({"vk", "telegram"}), remember=timedelta(0))
    return worker, watch


def test_a_refused_channel_is_named_until_a_send_on_it_goes(services: Services, clock: ManualClock) -> None:
    gateway = RecordingGateway("vk")
    worker, watch = _replying(services, clock, gateway)
    assert not watch.status().running

    gateway.fail_next(ChannelRefused("VK: error 15 (Access denied)"))
    services.complaints.handle(RequestClarification(complaint(services), question="Уточните адрес", actor="op"))
    worker.step()
    worker.pulse.beat()
    status = watch.status()
    assert status.running and status.channels == ("vk",)
    assert status.cannot_send == {"telegram": NO_GATEWAY, "vk": "VK: error 15 (Access denied)"}

    services.complaints.handle(
        RequestClarification(complaint(services, ref="wall-1_2"), question="Уточните дом", actor="op")
    )
    worker.step()
    clock.advance(timedelta(seconds=10))
    worker.pulse.beat()
    assert watch.status().cannot_send == {"telegram": NO_GATEWAY}

    clock.advance(STALE + timedelta(seconds=1))
    assert not watch.status().running


def test_the_outlook_says_in_a_word_whether_replies_go_out(services: Services, clock: ManualClock) -> None:
    heartbeats = MemoryHeartbeats()
    now = clock.now()
    nothing = ReplyWatch(heartbeats, clock, taking=frozenset(), remember=timedelta(0))
    taking = ReplyWatch(heartbeats, clock, taking=frozenset({"vk"}), remember=timedelta(0))
    assert (nothing.status().outlook, taking.status().outlook) == (Outlook.NO_CHANNEL, Outlook.NOT_RUNNING)
    assert taking.status().configured == ("vk",)
    heartbeats.record(Beat("p1", now, ("vk",)), forget_before=now - STALE)
    assert (nothing.status().outlook, taking.status().outlook) == (Outlook.SENDING, Outlook.SENDING)
    heartbeats.record(Beat("p1", now, ()), forget_before=now - STALE)  # a process with no gateway at all
    assert (nothing.status().outlook, taking.status().outlook) == (Outlook.NO_CHANNEL, Outlook.CANNOT_SEND)


def test_a_channel_without_a_gateway_is_named_once_its_reply_fails(services: Services, clock: ManualClock) -> None:
    """A complaint may come from a channel no setting takes complaints from (an intake token):
    its reply fails for want of a gateway, and the heartbeat says so."""
    worker, watch = _replying(services, clock, RecordingGateway("vk"))
    services.complaints.handle(
        RequestClarification(complaint(services, channel="ok", ref="ok-topic-1"), question="Уточните", actor="op")
    )
    worker.step()
    worker.pulse.beat()
    assert watch.status().cannot_send == {"ok": NO_GATEWAY, "telegram": NO_GATEWAY}
    assert watch.status().outlook is Outlook.CANNOT_SEND
