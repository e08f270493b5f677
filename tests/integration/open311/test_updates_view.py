"""The update history served from its view on SQLite and PostgreSQL: the same updates the log
holds, a page at a time, without decoding the log; rebuilt by `mcu replay`, listed by /health;
and an answer kept for a few seconds."""

from collections.abc import Iterator
from datetime import timedelta
from typing import Any
from uuid import UUID

import pytest
from click.testing import CliRunner
from litestar.testing import TestClient

from adapters.clock import ManualClock
from adapters.config import Settings
from application.commands import Assign, Register, Resolve, Respond
from application.open311.service import ANSWERS_KEPT_SECONDS
from application.open311.states import detailed, note
from domain.complaint import SOURCE_FACTS, Complaint
from interfaces.bootstrap import Services, bootstrap
from interfaces.cli.projections import replay
from interfaces.http.app import create_app
from tests.support.open311 import FORM, HOT_WATER, PUSHKINSKAYA, ROOT, errors_of, form

OPERATOR = "operator:Анна"


@pytest.fixture
def durable(durable_settings: Settings, clock: ManualClock) -> Iterator[tuple[Services, TestClient]]:
    services = bootstrap(durable_settings.model_copy(update={"projection_batch_size": 16}), clock=clock)
    try:
        with TestClient(create_app(services)) as client:
            yield services, client
    finally:
        services.close()


def _lives(services: Services, client: TestClient, clock: ManualClock) -> list[UUID]:
    """Twelve Open311 requests among VK posts, each moved on a little, over a few days."""
    key = services.access.issue_token(role="open311", name="city app")
    complaints = services.complaints
    requests: list[UUID] = []
    for n in range(12):
        clock.advance(timedelta(hours=5))
        media = {"media_url": f"https://example.ru/p/{n}.jpg"} if n % 2 else {}
        posted = client.post(
            f"{ROOT}/requests.json", headers=FORM, content=form(api_key=key, **HOT_WATER, **PUSHKINSKAYA, **media)
        )
        assert posted.status_code == 201, posted.text
        requests.append(UUID(posted.json()[0]["service_request_id"]))
        post = complaints.register(
            Register(
                channel="vk",
                source_ref=f"wall-1_{n}",
                author_ref="vk:1",
                text="Яма",
                received_at=clock.now(),
                actor="intake:vk",
            )
        )
        complaints.handle(Assign(post.complaint_id, organisation="ДАД", actor=OPERATOR))
        clock.advance(timedelta(minutes=20))
        if n % 3:
            complaints.handle(Respond(requests[-1], text=f"Ответ {n}", actor=OPERATOR))
        if n % 3 and n % 4 == 1:
            complaints.handle(Resolve(requests[-1], text="Готово", actor=OPERATOR))
    return requests


def _from_the_log(services: Services, requests: list[UUID], start: Any, end: Any) -> list[tuple[Any, ...]]:
    """What the update history must say, read the slow way: every event of every request."""
    expected = []
    for complaint_id in requests:
        complaint: Complaint | None = None
        for event in services.complaints.repository.event_store.get(complaint_id):
            complaint = event.mutate(complaint)
            assert complaint is not None
            # A fact about the request's source (its photo attached) is no update of its own.
            if start <= event.timestamp <= end and type(event) not in SOURCE_FACTS:
                update_id = f"{complaint_id}-{event.originator_version:06d}"
                expected.append((event.timestamp, update_id, detailed(complaint.status), note(event), None))
    return [row[1:] for row in sorted(expected)]


def _pages(client: TestClient, size: int, **params: str) -> list[tuple[Any, ...]]:
    read: list[tuple[Any, ...]] = []
    for number in range(1, 100):
        response = client.get(
            f"{ROOT}/servicerequestupdates.json", params={**params, "page": str(number), "page_size": str(size)}
        )
        assert response.status_code == 200, response.text
        page = response.json()
        assert len(page) <= size
        if not page:
            return read
        read += [(u["update_id"], u["status"], u["description"], u["media_url"]) for u in page]
    raise AssertionError("the pages never ended")


def test_the_history_is_the_logs_open311_events_a_page_at_a_time(
    durable: tuple[Services, TestClient], clock: ManualClock
) -> None:
    services, client = durable
    requests = _lives(services, client, clock)
    start, end = clock.now() - timedelta(days=2), clock.now() - timedelta(hours=10)
    expected = _from_the_log(services, requests, start, end)
    assert len(expected) > 10
    window = {"start_date": start.isoformat(), "end_date": end.isoformat()}
    assert _pages(client, 4, **window) == expected
    assert _pages(client, 200) == _from_the_log(services, requests, clock.now() - timedelta(days=90), clock.now())

    # Rebuilt from the first event, as `mcu replay --projection open311_updates` does.
    services.read_models.projectors["open311_updates"].rebuild()
    assert _pages(client, 5, **window) == expected


def test_reading_the_history_decodes_no_event(
    durable: tuple[Services, TestClient], clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    services, client = durable
    _lives(services, client, clock)
    for name in services.read_models.projectors:  # every view's follower is idle
        assert services.read_models.fresh(name) == 0
    decoded: list[Any] = []
    mapper = services.complaints.mapper
    decode = mapper.to_domain_event
    monkeypatch.setattr(mapper, "to_domain_event", lambda stored: decoded.append(stored) or decode(stored))

    response = client.get(f"{ROOT}/servicerequestupdates.xml", params={"start_date": "2026-11-28"})
    assert response.status_code == 200 and response.content.count(b"<request_update>") > 12
    assert decoded == []


def test_replay_rebuilds_the_view_and_health_lists_it(
    durable: tuple[Services, TestClient],
    durable_settings: Settings,
    clock: ManualClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    services, client = durable
    _lives(services, client, clock)
    services.read_models.fresh("open311_updates")
    before = _pages(client, 200)
    for name, value in durable_settings.model_dump().items():
        if isinstance(value, str | int) or name == "data_dir":
            monkeypatch.setenv(f"MCU_{name.upper()}", str(value))
    monkeypatch.setenv("MCU_AUDIT_KEY", durable_settings.audit_key.get_secret_value())

    result = CliRunner().invoke(replay, ["--projection", "open311_updates"])
    assert result.exit_code == 0, result.output
    staff = {"Authorization": f"Bearer {services.access.issue_token(role='auditor', name='КРУ')}"}
    health = client.get("/health/details", headers=staff).json()
    assert {"open311_updates"} <= {p["name"] for p in health["projections"]}
    clock.advance(timedelta(seconds=ANSWERS_KEPT_SECONDS + 1))  # past the cached answer
    assert _pages(client, 200) == before


def test_an_answer_is_kept_for_a_few_seconds(client: TestClient, services: Services, clock: ManualClock) -> None:
    key = services.access.issue_token(role="open311", name="city app")
    posted = client.post(f"{ROOT}/requests.json", headers=FORM, content=form(api_key=key, **HOT_WATER, **PUSHKINSKAYA))
    complaint_id = UUID(posted.json()[0]["service_request_id"])
    window = {"start_date": "2026-11-28T00:00:00+03:00", "end_date": "2026-12-01T00:00:00+03:00"}

    def descriptions(**spelling: str) -> list[str]:
        return [u["description"] for u in client.get(f"{ROOT}/servicerequestupdates.json", params=spelling).json()]

    first = descriptions(**window)
    clock.advance(timedelta(seconds=1))
    services.complaints.handle(Respond(complaint_id, text="Бригада выехала", actor=OPERATOR))
    # The same moments written in UTC are the same question.
    assert descriptions(start_date="2026-11-27T21:00:00Z", end_date="2026-11-30T21:00:00Z") == first
    clock.advance(timedelta(seconds=ANSWERS_KEPT_SECONDS))
    assert descriptions(**window) == [*first, "Бригада выехала"]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_page_holds_at_most_two_hundred_updates(client: TestClient, fmt: str) -> None:
    response = client.get(f"{ROOT}/servicerequestupdates.{fmt}", params={"page_size": "201"})
    assert (response.status_code, errors_of(response)) == (400, [(400, "page_size must be between 1 and 200")])
