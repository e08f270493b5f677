"""The complaint service on each durable store: survival across restarts, idempotency, races."""

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from threading import Barrier

import pytest

from adapters.clock import ManualClock
from adapters.config import Settings
from application.commands import Assign, Register, Resolve, Respond
from application.complaints import ComplaintService
from application.errors import StaleVersion
from domain.errors import MoveRefused, SourceTaken
from interfaces.bootstrap import bootstrap

POST = dict(
    channel="vk",
    source_ref="wall-170000_88/91",
    author_ref="vk:id777",
    text="Не горит фонарь у дома Мечникова 110",
    actor="intake:vk",
)


def _register(service: ComplaintService, clock: ManualClock, **overrides: object):
    fields = {**POST, "received_at": clock.now() - timedelta(minutes=20), **overrides}
    return service.register(Register(**fields))  # type: ignore[arg-type]


def test_a_complaint_and_its_history_survive_a_restart(durable_settings: Settings, clock: ManualClock) -> None:
    first = bootstrap(durable_settings, clock=clock)
    complaint_id = _register(first.complaints, clock).complaint_id
    first.complaints.handle(Assign(complaint_id, organisation="ДГХ", actor="operator:anna"))
    clock.advance(timedelta(minutes=30))
    first.complaints.handle(Respond(complaint_id, text="Заявка передана", actor="operator:anna"))
    first.complaints.handle(Resolve(complaint_id, text="Фонарь заменён", actor="executor:dgh"))
    before, history = first.complaints.get(complaint_id), first.history.entries(complaint_id)
    first.close()

    second = bootstrap(durable_settings, clock=clock)
    try:
        assert second.complaints.get(complaint_id) == before
        assert second.history.entries(complaint_id) == history
        assert [h.type for h in history] == ["Registered", "Assigned", "Responded", "Resolved"]
    finally:
        second.close()


def test_registering_the_same_post_twice_gives_one_complaint(durable_settings: Settings, clock: ManualClock) -> None:
    services = bootstrap(durable_settings, clock=clock)
    try:
        first = _register(services.complaints, clock)
        again = _register(services.complaints, clock)
        assert first.created and not again.created
        assert again.complaint_id == first.complaint_id
        with pytest.raises(SourceTaken) as taken:
            _register(services.complaints, clock, text="другой пост под той же ссылкой")
        assert taken.value.complaint_id == first.complaint_id
        assert services.complaints.get(first.complaint_id).text == POST["text"]
    finally:
        services.close()


def test_concurrent_registrations_of_one_post_make_exactly_one_complaint(
    durable_settings: Settings, clock: ManualClock
) -> None:
    services = bootstrap(durable_settings, clock=clock)
    barrier = Barrier(8)

    def register() -> bool:
        barrier.wait()
        return _register(services.complaints, clock).created

    try:
        with ThreadPoolExecutor(8) as pool:
            created = list(pool.map(lambda _: register(), range(8)))
        assert created.count(True) == 1
        assert services.complaints.recorder.max_notification_id() == 1
    finally:
        services.close()


def test_concurrent_commands_with_one_seen_version_let_exactly_one_win(
    durable_settings: Settings, clock: ManualClock
) -> None:
    services = bootstrap(durable_settings, clock=clock)
    complaint_id = _register(services.complaints, clock).complaint_id
    barrier = Barrier(6)

    def assign(n: int) -> str:
        barrier.wait()
        try:
            services.complaints.handle(
                Assign(complaint_id, organisation=f"Организация {n}", actor="operator:a", expected_version=1)
            )
        except (StaleVersion, MoveRefused) as refused:
            return type(refused).__name__
        return "ok"

    try:
        with ThreadPoolExecutor(6) as pool:
            outcomes = list(pool.map(assign, range(6)))
        assert outcomes.count("ok") == 1
        assert set(outcomes) - {"ok"} <= {"StaleVersion"}
        history = services.history.entries(complaint_id)
        assert [h.type for h in history] == ["Registered", "Assigned"]
    finally:
        services.close()


def test_concurrent_commands_without_a_version_are_all_applied_in_some_order(
    durable_settings: Settings, clock: ManualClock
) -> None:
    services = bootstrap(durable_settings, clock=clock)
    complaint_id = _register(services.complaints, clock).complaint_id
    services.complaints.handle(Assign(complaint_id, organisation="ДГХ", actor="operator:a"))
    barrier = Barrier(4)

    def respond(n: int) -> None:
        barrier.wait()
        services.complaints.handle(Respond(complaint_id, text=f"Ответ {n}", actor="operator:a"))

    try:
        with ThreadPoolExecutor(4) as pool:
            list(pool.map(respond, range(4)))
        view = services.complaints.get(complaint_id)
        assert sorted(view.responses) == [f"Ответ {n}" for n in range(4)]
        assert view.version == 6
    finally:
        services.close()


def test_the_sqlite_file_lives_in_the_data_dir(sqlite_settings: Settings, clock: ManualClock) -> None:
    services = bootstrap(sqlite_settings, clock=clock)
    services.close()
    assert sqlite_settings.sqlite_path.exists()
