"""Replies needing a person: the list, the requeue form, the banner on every console page and
/health, while no reply process runs or a channel complaints come from cannot be replied on."""

import time
from datetime import UTC, datetime, timedelta

import pytest
from litestar.testing import TestClient
from pydantic import SecretStr

from adapters.clock import ManualClock
from adapters.config import Settings
from application.replies.heartbeat import STALE
from domain.delivery import DeliveryState
from interfaces.bootstrap import Services, bootstrap
from interfaces.http.app import create_app
from interfaces.http.health import REMEMBER_SECONDS
from tests.integration.web.console import assign, bearer, register, respond, staff

NOT_RUNNING = "процесс ответов не запущен"
NO_CHANNEL = "ни один канал"


def _failed_reply(console: TestClient, services: Services, clock: ManualClock) -> str:
    """A VK complaint answered while no gateway can send on VK: its reply fails at once."""
    operator = bearer(services, "operator")
    complaint = register(
        console,
        bearer(services, "intake", "vk"),
        "wall-1_7",
        received=clock.now() - timedelta(minutes=20),
        category="roads",
        channel="vk",
    )
    assign(console, operator, complaint, "Департамент автомобильных дорог")
    respond(console, operator, complaint, "Яму заделают до пятницы")
    services.channels.reply_worker().step()
    [delivery] = services.channels.replies.deliveries(DeliveryState.FAILED)
    return str(delivery.id)


def test_a_failed_reply_is_listed_and_requeued_by_its_form(
    console: TestClient, console_services: Services, clock: ManualClock
) -> None:
    delivery = _failed_reply(console, console_services, clock)
    operator = staff(console, console_services, "operator")
    page = console.get("/deliveries", headers=operator)
    assert page.status_code == 200
    assert f'id="delivery-{delivery}"' in page.text
    assert "ВКонтакте" in page.text and "не отправлен" in page.text and "ответ" in page.text
    assert "не настроен токен для ответов в этом канале" in page.text
    assert 'name="_csrf_token"' in page.text and "&lt;input" not in page.text
    assert f'action="/deliveries/{delivery}/requeue"' in page.text

    sent = console.post(f"/deliveries/{delivery}/requeue", headers=operator, follow_redirects=False)
    assert (sent.status_code, sent.headers["location"]) == (303, f"/deliveries?requeued={delivery}")
    after = console.get(sent.headers["location"], headers=operator).text
    assert "Ответ поставлен в очередь на отправку." in after and f'id="delivery-{delivery}"' not in after
    [requeued] = console_services.channels.replies.deliveries(DeliveryState.RETRYING)
    assert str(requeued.id) == delivery

    again = console.post(f"/deliveries/{delivery}/requeue", headers=operator, follow_redirects=False)
    assert again.status_code == 409 and "уже не ждёт решения" in again.text
    unknown = console.post("/deliveries/00000000-0000-0000-0000-000000000009/requeue", headers=operator)
    assert unknown.status_code == 404


def test_an_auditor_sees_the_list_without_the_button_and_may_not_post_it(
    console: TestClient, console_services: Services, clock: ManualClock
) -> None:
    delivery = _failed_reply(console, console_services, clock)
    auditor = staff(console, console_services, "auditor")
    page = console.get("/deliveries", headers=auditor).text
    assert f'id="delivery-{delivery}"' in page and "Отправить снова" not in page
    assert console.post(f"/deliveries/{delivery}/requeue", headers=auditor).status_code == 403
    assert console.get("/deliveries", headers=staff(console, console_services, "executor")).status_code == 403


def test_without_a_channel_every_page_and_health_say_no_reply_goes_out(
    console: TestClient, console_services: Services
) -> None:
    supervisor = staff(console, console_services, "supervisor")
    for path in ("/deliveries", "/statistics"):
        assert NO_CHANNEL in console.get(path, headers=supervisor).text
    assert console.get("/health").json() == {"status": "ok", "replies": "no channel", "channels": []}
    details = console.get("/health/details", headers=supervisor).json()["replies"]
    assert details == {
        "outlook": "no channel",
        "configured": [],
        "running": False,
        "last_beat": None,
        "channels": [],
        "cannot_send": {},
    }


def test_while_no_reply_process_runs_every_page_and_health_say_so(
    sqlite_settings: Settings, clock: ManualClock
) -> None:
    # Telegram is configured, and `mcu replies` is meant to run on its own, but does not.
    settings = sqlite_settings.model_copy(
        update={
            "telegram_token": SecretStr("123:token"),
            "telegram_api_url": "http://127.0.0.1:9",
            "replies_embedded": False,
        }
    )
    services = bootstrap(settings, clock=clock)
    try:
        with TestClient(create_app(services)) as console:
            supervisor = staff(console, services, "supervisor")
            for path in ("/deliveries", "/statistics"):
                page = console.get(path, headers=supervisor).text
                assert NOT_RUNNING in page and "каналы: Telegram" in page
            health = {"status": "ok", "replies": "not running", "channels": ["telegram"]}
            assert console.get("/health").json() == health

            worker = services.channels.reply_worker()
            assert worker.pulse is not None
            worker.pulse.beat()
            clock.advance(timedelta(seconds=10))  # past the moment the watch remembers
            page = console.get("/deliveries", headers=supervisor).text
            assert NOT_RUNNING not in page and "Ответы гражданам уходят: Telegram." in page
            time.sleep(REMEMBER_SECONDS)  # /health's last reading, kept that long in real time
            assert console.get("/health").json() == {**health, "replies": "sending"}

            clock.advance(STALE)  # the process died without a word: its beat goes stale
            assert NOT_RUNNING in console.get("/statistics", headers=supervisor).text
    finally:
        services.close()


@pytest.mark.postgres
def test_a_reply_process_is_seen_alive_from_another_process_on_the_same_store(
    durable_settings: Settings, clock: ManualClock
) -> None:
    """The beat is in the store both share; each side here has its own connections."""
    replying = bootstrap(durable_settings, clock=clock)
    api = bootstrap(durable_settings, clock=clock)
    try:
        assert not api.channels.reply_watch.status().running
        stop = replying.channels.reply_worker()
        assert stop.pulse is not None
        stop.pulse.beat()
        clock.advance(timedelta(seconds=10))
        status = api.channels.reply_watch.status()
        assert status.running and status.last_beat == clock.now() - timedelta(seconds=10)
        stop.pulse.stop()  # a clean stop removes the beat: no minute of false comfort
        clock.advance(timedelta(seconds=10))
        assert not api.channels.reply_watch.status().running
    finally:
        api.close()
        replying.close()


def test_a_channel_taking_complaints_without_a_way_to_reply_is_named(sqlite_settings: Settings) -> None:
    clock = ManualClock(datetime(2026, 11, 28, 9, 0, tzinfo=UTC))
    # VK's walls are read (the service token) but no community token lets replies be written.
    settings = sqlite_settings.model_copy(update={"vk_service_token": SecretStr("service"), "vk_walls": [1]})
    services = bootstrap(settings, clock=clock)
    try:
        services.channels.reply_worker().pulse.beat()
        with TestClient(create_app(services)) as client:
            supervisor = staff(client, services, "supervisor")
            page = client.get("/deliveries", headers=supervisor).text
            assert "Ответы отправляются не во все каналы" in page
            assert "ВКонтакте — не настроен токен для ответов" in page
            assert client.get("/health").json() == {"status": "ok", "replies": "cannot send", "channels": ["vk"]}
            details = client.get("/health/details", headers=supervisor).json()["replies"]
            assert details["running"] and details["cannot_send"] == {"vk": "no reply gateway is configured"}
            assert (details["outlook"], details["configured"]) == ("cannot send", ["vk"])
    finally:
        services.close()
