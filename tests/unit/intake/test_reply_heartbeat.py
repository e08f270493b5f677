"""The reply process's heartbeat: alive while it beats, and which channel's sends stopped going."""

from datetime import timedelta

from adapters.clock import ManualClock
from adapters.heartbeats import MemoryHeartbeats
from application.backoff import Backoff
from application.channels import ChannelRefused
from application.commands import RequestClarification
from application.replies.dispatcher import Dispatcher
from application.replies.follower import Follower
from application.replies.heartbeat import NO_GATEWAY, STALE, Pulse, ReplyWatch
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
