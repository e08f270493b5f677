"""The intake outbox: a webhook's post is recorded before the answer and taken from that
record, once, whatever dies or fails after the answer; on SQLite and PostgreSQL."""

import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta

import pytest
from eventsourcing.persistence import StoredEvent
from litestar.testing import TestClient

from adapters.clock import ManualClock
from adapters.config import Settings
from application.intake.outbox import FORGOTTEN, ReceivedPost
from application.intake.source import Post
from interfaces.bootstrap import Services, bootstrap
from interfaces.http.app import create_app
from tests.fakes.triage import ScriptedTriage
from tests.fixtures import START
from tests.integration.channels.conftest import COMMUNITY, VK_SECRET, Networks, taken

LEASE = 60


def _post(number: int, text: str = "Мусор не вывозят, Мясникяна 12") -> Post:
    return Post(
        channel="vk",
        source_ref=f"wall-{COMMUNITY}_{number}",
        author_ref=f"vk:id{3100 + number}",
        text=text,
        published_at=START - timedelta(minutes=10),
    )


class FailingOnce(ScriptedTriage):
    """Triage whose first call fails, as a store or a dictionary might under a burst."""

    def __init__(self) -> None:
        super().__init__()
        self.failed = False

    def assess(self, text: str, channel: str):  # noqa: ANN201 - the port's verdict
        if not self.failed:
            self.failed = True
            raise RuntimeError("database is locked")
        return super().assess(text, channel)


@pytest.fixture
def settings(durable_settings: Settings, networks: Networks) -> Settings:
    store = {
        name: value
        for name, value in durable_settings.model_dump().items()
        if name in ("store", "data_dir", "audit_key") or name.startswith("postgres_")
    }
    return networks.settings(**store, intake_lease_seconds=LEASE)


@pytest.fixture
def started(settings: Settings, clock: ManualClock) -> Iterator[list[Services]]:
    running: list[Services] = []
    yield running
    for services in running:
        services.close()


def _start(started: list[Services], settings: Settings, clock: ManualClock, triage=None) -> Services:
    services = bootstrap(settings, clock=clock, triage=triage or ScriptedTriage())
    started.append(services)
    return services


def test_a_post_recorded_by_a_process_killed_after_answering_is_taken_once_by_the_next(
    settings: Settings, clock: ManualClock, started: list[Services]
) -> None:
    first = _start(started, settings, clock)
    recorded = [first.channels.outbox.record(_post(n)) for n in (1, 2)]
    assert None not in recorded
    assert first.channels.outbox.record(_post(1)) is None  # the network repeating its event
    first.close()  # killed: answered, never taken
    started.remove(first)

    again = _start(started, settings, clock)
    assert again.channels.outbox.waiting() == 2
    assert again.channels.intake_worker.sweep() == 0  # within the lease the receiver may still take them
    clock.advance(timedelta(seconds=LEASE))
    assert again.channels.intake_worker.sweep() == 2
    for number in (1, 2):
        view = again.complaints.get(again.complaints.id_of("vk", _post(number).source_ref))
        assert view.status == "assigned" and view.organisation is not None
    assert again.channels.intake_worker.sweep() == 0
    assert again.channels.outbox.waiting() == 0
    for entry_id in recorded:
        assert again.channels.outbox.take(entry_id, again.channels.intake) is False
        assert len(again.channels.records.repository.get(entry_id).collect_events()) == 0
        assert again.channels.records.repository.get(entry_id).version == 2  # received, taken: once


def test_a_callback_answered_ok_whose_taking_failed_is_taken_later_without_polling(
    settings: Settings, clock: ManualClock, networks: Networks, started: list[Services]
) -> None:
    services = _start(started, settings, clock, FailingOnce())
    post = networks.vk.add_post(owner_id=-COMMUNITY, from_id=3105, text="Мусор не вывозят, Мясникяна 12")
    complaint_id = services.complaints.id_of("vk", f"wall-{COMMUNITY}_{post['id']}")
    with TestClient(create_app(services)) as client:
        answer = client.post("/hooks/vk", json=networks.vk.callback("wall_post_new", post, secret=VK_SECRET))
        assert (answer.status_code, answer.text) == (200, "ok")
        taken(services)
        assert complaint_id not in services.complaints.repository
        clock.advance(timedelta(seconds=LEASE))
        deadline = time.monotonic() + 10
        while services.channels.outbox.waiting() and time.monotonic() < deadline:
            time.sleep(0.1)  # the app's own worker sweeps it, once the lease has passed
    assert services.complaints.get(complaint_id).status == "assigned"
    assert not [m for m, _ in networks.vk.calls if m == "wall.get"]  # no poller was needed


def test_a_post_whose_author_was_forgotten_before_it_was_taken_is_not_registered(
    settings: Settings, clock: ManualClock, started: list[Services]
) -> None:
    services = _start(started, settings, clock)
    entry_id = services.channels.outbox.record(_post(3))
    services.citizen_keys.forget(_post(3).author_ref)
    assert services.channels.outbox.take(entry_id, services.channels.intake) is True
    entry = services.channels.records.repository.get(entry_id)
    assert isinstance(entry, ReceivedPost) and entry.outcome == FORGOTTEN
    assert _post(3).author_ref not in entry.author  # kept sealed, never in the clear
    assert services.complaints.id_of("vk", _post(3).source_ref) not in services.complaints.repository


def test_an_entry_recorded_before_changes_were_recorded_is_upcast_to_a_new_post(
    started: list[Services], settings: Settings, clock: ManualClock
) -> None:
    services = _start(started, settings, clock)
    records = services.channels.records
    entry_id = services.channels.outbox.record(_post(4))
    [stored] = records.recorder.select_events(entry_id)
    # The event as version 1 wrote it: no change, attachments or album, no class_version.
    state = records.mapper.transcoder.decode(stored.state)
    for field in ("change", "attachments", "album", "class_version"):
        state.pop(field, None)
    old = StoredEvent(stored.originator_id, 1, stored.topic, records.mapper.transcoder.encode(state))
    entry = records.mapper.to_domain_event(old).mutate(None)
    assert isinstance(entry, ReceivedPost)
    assert (entry.change, entry.attachments, entry.album) == (None, (), None)
    assert entry.post(source_ref="wall-1_4", author_ref="vk:id1", reply_to=()) == replace(
        _post(4), source_ref="wall-1_4", author_ref="vk:id1"
    )
