"""Intake's records and the reply process on SQLite and PostgreSQL, across a restart of the services."""

from datetime import timedelta

from adapters.clock import ManualClock
from adapters.config import Settings
from application.backoff import Backoff
from application.intake.source import Post
from application.replies.dispatcher import Dispatcher
from application.replies.follower import Follower
from application.replies.worker import ReplyWorker
from domain.delivery import DeliveryState
from interfaces.bootstrap import Services, bootstrap
from tests.fakes.gateway import RecordingGateway
from tests.fakes.triage import ScriptedTriage
from tests.fixtures import START


def _worker(services: Services, clock: ManualClock, gateway: RecordingGateway) -> ReplyWorker:
    dispatcher = Dispatcher(
        replies=services.channels.replies,
        gateways={"vk": gateway},
        clock=clock,
        backoff=Backoff(1, 10),
        max_attempts=3,
        lease=timedelta(seconds=30),
    )
    return ReplyWorker(Follower(services.complaints, services.channels.replies), dispatcher)


def test_records_and_replies_survive_a_restart(durable_settings: Settings, clock: ManualClock) -> None:
    gateway = RecordingGateway("vk")
    posts = [
        Post(
            channel="vk",
            source_ref="wall-1_1",
            author_ref="vk:id1",
            text="Нет горячей воды!",
            published_at=START - timedelta(minutes=3),
        ),
        Post(
            channel="vk",
            source_ref="wall-1_2",
            author_ref="vk:id2",
            text="Спасибо за сквер",
            published_at=START - timedelta(minutes=2),
        ),
        Post(
            channel="vk",
            source_ref="wall-1_3",
            author_ref="vk:id3",
            text="Мусор, Мясникяна 12",
            published_at=START - timedelta(minutes=1),
        ),
    ]
    first = bootstrap(durable_settings, clock=clock, triage=ScriptedTriage())
    try:
        results = [first.channels.intake.receive(post) for post in posts]
        first.channels.records.move_position("vk:wall:1", '{"post": 3}')
        _worker(first, clock, gateway).step()
    finally:
        first.close()

    again = bootstrap(durable_settings, clock=clock, triage=ScriptedTriage())
    try:
        for post in posts:
            again.channels.intake.receive(post)
        _worker(again, clock, gateway).step()
        assert len(gateway.published) == 1
        [sent] = again.channels.replies.deliveries(DeliveryState.SENT)
        assert sent.complaint_id == results[0].complaint_id
        [count] = again.channels.records.screening(channels=["vk"], first=START.date(), last=START.date())
        assert count.dropped == {"thanks": 1}
        assert again.channels.records.incident_of(results[2].complaint_id).complaint_ids == (results[2].complaint_id,)
        assert again.channels.records.position("vk:wall:1") == '{"post": 3}'
    finally:
        again.close()
