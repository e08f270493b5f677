"""152-ФЗ: personal data encrypted at rest, shown only to those who answer, reads recorded,
forgotten on request while the history and its seals stay whole, never in logs."""

import logging
from collections.abc import Callable
from datetime import timedelta
from uuid import UUID

import pytest
from litestar.testing import TestClient

from adapters.clock import ManualClock
from application.audit.archive import export_events
from domain.access import Role
from interfaces.bootstrap import Services
from interfaces.http.auth import PERSONAL_DATA_ROLES
from tests.fixtures import EXECUTORS_ORGANISATION

Auth = Callable[..., dict[str, str]]
NAME, PHONE, EMAIL, REF = "Иванова Мария Петровна", "+7 (918) 555-12-34", "maria@example.ru", "vk:id777"


@pytest.fixture
def complaint_url(client: TestClient, auth: Auth, clock: ManualClock) -> str:
    response = client.post(
        "/api/v1/complaints",
        headers=auth("intake", "vk"),
        json={
            "channel": "vk",
            "source_ref": "wall-1_555",
            "author_ref": REF,
            "author_name": NAME,
            "author_phone": PHONE,
            "author_email": EMAIL,
            "text": "Нет света в подъезде, Беляева 22",
            "received_at": (clock.now() - timedelta(minutes=3)).isoformat(),
        },
    )
    assert response.status_code == 201, response.text
    assert "author" not in response.text.replace('"author":null', "")
    return response.headers["location"]


def test_personal_data_is_encrypted_in_the_store(complaint_url: str, services: Services) -> None:
    stored = b"".join(n.state for n in services.complaints.recorder.select_notifications(1, 10))
    for secret in (NAME, PHONE, EMAIL, REF):
        assert secret.encode() not in stored


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_only_roles_that_answer_see_the_author(role: Role, complaint_url: str, client: TestClient, auth: Auth) -> None:
    # An executor reads only what is assigned to their organisation.
    assigned = {"organisation": EXECUTORS_ORGANISATION}
    client.post(f"{complaint_url}/assignment", json=assigned, headers=auth("supervisor"))
    response = client.get(complaint_url, headers=auth(role.value))
    body = response.json()
    if role in PERSONAL_DATA_ROLES:
        assert body["personal_data"] == "shown"
        assert body["author"] == {"ref": REF, "name": NAME, "phone": PHONE, "email": EMAIL}
    elif role is Role.OPEN311:
        assert response.status_code == 403  # reads only through Open311, what came through it
    else:
        assert body["personal_data"] == "hidden" and body["author"] is None
        for secret in (NAME, PHONE, EMAIL, REF):
            assert secret not in response.text


def test_history_never_shows_the_author(complaint_url: str, client: TestClient, auth: Auth) -> None:
    history = client.get(f"{complaint_url}/history", headers=auth("operator"))
    assert history.json()[0]["data"]["author_ref"] == "[personal data]"
    assert history.json()[0]["changes"]["author_ref"] == ["[personal data]", "[personal data]"]
    assert "pd2:" not in history.text


def test_every_read_of_personal_data_is_recorded(
    complaint_url: str, client: TestClient, auth: Auth, services: Services
) -> None:
    token = services.access.issue_token(role="operator", name="Анна")
    client.get(complaint_url, headers={"Authorization": f"Bearer {token}"})
    client.get(complaint_url, headers=auth("executor"))
    reads = client.get(f"{complaint_url}/personal-data-reads", headers=auth("auditor")).json()
    assert [r["reader"] for r in reads] == ["operator:Анна"]


def test_a_forgotten_citizen_is_unreadable_everywhere_while_the_history_verifies(
    complaint_url: str, client: TestClient, auth: Auth, services: Services
) -> None:
    supervisor = auth("supervisor")
    complaint_id = complaint_url.rsplit("/", 1)[1]
    client.post(f"{complaint_url}/assignment", json={"organisation": "УК"}, headers=supervisor)
    services.tamper.seal()
    forgotten = client.post("/api/v1/citizens/forgetting", json={"author_ref": REF}, headers=supervisor)
    assert forgotten.json() == {"forgotten": True}
    assert client.post("/api/v1/citizens/forgetting", json={"author_ref": REF}, headers=supervisor).json() == {
        "forgotten": False
    }

    after = client.get(complaint_url, headers=auth("operator")).json()
    assert after["personal_data"] == "forgotten" and after["author"] is None
    assert after["status"] == "assigned" and after["text"]
    exported = str(list(export_events(services.complaints)))
    assert all(secret not in exported for secret in (NAME, PHONE, EMAIL, REF))
    assert services.complaints.author_of(UUID(complaint_id)) is None
    verification = client.get("/api/v1/audit/verify", headers=auth("auditor")).json()
    assert verification["intact"] is True and verification["events"] == 2


def test_personal_data_never_reaches_logs_or_error_messages(
    client: TestClient, auth: Auth, clock: ManualClock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    intake = auth("intake", "vk")
    body = {
        "channel": "vk",
        "source_ref": "wall-1_9",
        "author_ref": REF,
        "author_name": NAME,
        "author_phone": PHONE,
        "author_email": EMAIL,
        "text": "Яма на Стачки",
        "received_at": clock.now().isoformat(),
    }
    responses = [
        client.post("/api/v1/complaints", json=body, headers=intake),
        client.post("/api/v1/complaints", json={**body, "author_phone": "call me " + PHONE}, headers=intake),
        client.post("/api/v1/complaints", json={**body, "author_email": NAME}, headers=intake),
        client.post("/api/v1/complaints", json={**body, "text": " ", "source_ref": "y"}, headers=intake),
        client.post(
            "/api/v1/complaints",
            json={**body, "received_at": "2099-01-01T00:00:00+03:00", "source_ref": "x"},
            headers=intake,
        ),
        client.post("/api/v1/complaints", json={**body, "channel": "fax"}, headers=intake),
    ]
    assert [r.status_code for r in responses] == [201, 400, 400, 422, 422, 400]
    for secret in (NAME, PHONE, EMAIL, REF):
        assert secret not in caplog.text
        for response in responses:
            assert secret not in response.text


def _reads(complaint_url: str) -> list[tuple[str, str]]:
    complaint_id = complaint_url.rsplit("/", 1)[1]
    return [
        ("GET", complaint_url),
        ("GET", f"{complaint_url}?version=1"),
        ("GET", f"{complaint_url}/history"),
        ("GET", f"{complaint_url}/incident"),
        ("GET", "/api/v1/complaints?limit=10"),
        ("GET", "/api/v1/deliveries"),
        ("GET", f"/open311/v2/requests.json?service_request_id={complaint_id}"),
        ("POST", f"{complaint_url}/response"),
    ]


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_route_by_route_only_reading_the_complaint_shows_its_author_to_those_who_answer(
    role: Role, complaint_url: str, client: TestClient, auth: Auth
) -> None:
    client.post(f"{complaint_url}/assignment", json={"organisation": "УК"}, headers=auth("supervisor"))
    headers = auth(role.value)
    for method, url in _reads(complaint_url):
        body = {"text": "Принято в работу"} if method == "POST" else None
        response = client.request(method, url, headers=headers, json=body)
        shows = role in PERSONAL_DATA_ROLES and method == "GET" and url == complaint_url
        for secret in (NAME, PHONE, EMAIL):
            assert (secret in response.text) == shows, (method, url, response.status_code)


def test_a_telegram_private_chat_is_personal_data_registered_once_and_forgotten(
    client: TestClient, auth: Auth, clock: ManualClock
) -> None:
    user_id = "5550001119"  # a private chat's id is its user's id
    body = {
        "channel": "telegram",
        "source_ref": f"{user_id}/7",
        "author_ref": f"tg:{user_id}",
        "text": "Яма на Стачки 5",
        "received_at": clock.now().isoformat(),
    }
    intake, operator = auth("intake", "telegram"), auth("operator")
    first = client.post("/api/v1/complaints", json=body, headers=intake)
    again = client.post("/api/v1/complaints", json=body, headers=intake)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    url = first.headers["location"]
    # Before forgetting, only the recorded read of those who answer shows it (as the author).
    assert (
        user_id not in first.json()["source_ref"]
        and user_id not in client.get(url, headers=operator).json()["source_ref"]
    )
    shown = [
        first.text,
        client.get(url, headers=auth("executor")).text,
        client.get(f"{url}/history", headers=operator).text,
    ]
    assert [text for text in shown if user_id in text] == []
    forgotten = client.post(
        "/api/v1/citizens/forgetting", json={"author_ref": f"tg:{user_id}"}, headers=auth("supervisor")
    )
    assert forgotten.json() == {"forgotten": True}
    complaint_id = url.rsplit("/", 1)[1]
    after = [
        client.get(url, headers=operator).text,
        client.get(f"{url}/history", headers=operator).text,
        client.get("/api/v1/complaints?limit=10", headers=operator).text,
        client.get(f"/open311/v2/requests.json?service_request_id={complaint_id}").text,
    ]
    assert all(user_id not in text for text in after)
