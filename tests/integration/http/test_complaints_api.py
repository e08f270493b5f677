"""The complaint API through Litestar's test client: lifecycle, versions, bad input."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from litestar.testing import TestClient

from adapters.clock import ManualClock
from adapters.config import Settings
from interfaces.bootstrap import Services, bootstrap
from interfaces.http.app import create_app

Auth = Callable[..., dict[str, str]]
PROBLEM = "application/problem+json"


def post_body(clock: ManualClock, **overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "channel": "phone",
        "source_ref": "wall-1_123/456",
        "author_ref": "vk:id777",
        "text": "Во дворе дома Королёва 10 не вывозят мусор третий день",
        "address": "проспект Королёва, 10",
        "category": "waste",
        "received_at": (clock.now() - timedelta(minutes=15)).isoformat(),
    }
    body.update(overrides)
    return body


@pytest.fixture
def operator(auth: Auth) -> dict[str, str]:
    return auth("operator")


@pytest.fixture
def registered(client: TestClient, operator: dict[str, str], clock: ManualClock) -> str:
    response = client.post("/api/v1/complaints", json=post_body(clock), headers=operator)
    assert response.status_code == 201, response.text
    return response.json()["id"]


def test_the_whole_lifecycle_over_http(
    client: TestClient, operator: dict[str, str], clock: ManualClock, services: Services
) -> None:
    created = client.post("/api/v1/complaints", json=post_body(clock), headers=operator)
    assert created.status_code == 201
    complaint = created.json()
    assert created.headers["location"] == f"/api/v1/complaints/{complaint['id']}"
    assert created.headers["etag"] == '"1"'
    assert complaint["status"] == "registered"
    assert complaint["reaction"]["state"] == "within_target"
    url = created.headers["location"]

    assigned = client.post(
        f"{url}/assignment",
        json={"organisation": "Администрация Ворошиловского района", "executor": None},
        headers={**operator, "If-Match": '"1"'},
    )
    assert assigned.status_code == 200 and assigned.json()["status"] == "assigned"
    clock.advance(timedelta(hours=1))
    responded = client.post(
        f"{url}/response",
        json={"text": "Передано в УК, вывоз сегодня"},
        headers={**operator, "If-Match": assigned.headers["etag"]},
    )
    assert responded.json()["reaction"] == {
        **responded.json()["reaction"],
        "state": "within_target",
        "running": False,
        "reaction_seconds": 75 * 60,
    }
    resolved = client.post(f"{url}/resolution", json={"text": "Мусор вывезен"}, headers=operator)
    assert resolved.json()["status"] == "resolved"

    read = client.get(url, headers=operator)
    # Reading the complaint shows the operator the author; a command's answer never does.
    assert read.json() == {
        **resolved.json(),
        "personal_data": "shown",
        "author": {"ref": "vk:id777", "name": None, "phone": None, "email": None},
    }
    assert read.headers["etag"] == '"4"'
    history = client.get(f"{url}/history", headers=operator).json()
    assert [(h["type"], h["version"]) for h in history] == [
        ("Registered", 1),
        ("Assigned", 2),
        ("Responded", 3),
        ("Resolved", 4),
    ]
    # The history names the account: its name and its id.
    account_id = services.accounts.by_login("test-operator").id
    assert history[1]["actor"] == f"operator:test-operator#{account_id}"
    assert history[1]["data"]["organisation"] == "Администрация Ворошиловского района"


def test_a_repeat_of_the_same_post_returns_the_same_complaint(
    client: TestClient, operator: dict[str, str], clock: ManualClock, registered: str
) -> None:
    again = client.post("/api/v1/complaints", json=post_body(clock), headers=operator)
    assert again.status_code == 200
    assert again.json()["id"] == registered
    assert "location" not in again.headers


def test_another_post_under_a_taken_reference_is_refused_naming_the_complaint(
    client: TestClient, operator: dict[str, str], clock: ManualClock, registered: str
) -> None:
    other = client.post("/api/v1/complaints", json=post_body(clock, text="Другой житель о другом"), headers=operator)
    assert other.status_code == 409, other.text
    assert other.headers["content-type"].startswith("application/problem+json")
    assert other.json()["complaint_id"] == registered
    assert registered in other.json()["detail"]
    history = client.get(f"/api/v1/complaints/{registered}/history", headers=operator).json()
    assert [event["type"] for event in history] == ["Registered"]
    assert client.get(f"/api/v1/complaints/{registered}", headers=operator).json()["text"] == post_body(clock)["text"]


def test_clarification_and_reopening_branches(client: TestClient, operator: dict[str, str], clock: ManualClock) -> None:
    url = client.post("/api/v1/complaints", json=post_body(clock, address=None), headers=operator).headers["location"]
    asked = client.post(
        f"{url}/clarification-request", json={"question": "Уточните, пожалуйста, адрес"}, headers=operator
    )
    assert asked.json()["status"] == "clarification_requested"
    clarified = client.post(
        f"{url}/clarification", json={"text": "Королёва 10", "address": "Королёва, 10"}, headers=operator
    )
    assert clarified.json()["address"] == "Королёва, 10"
    for path, body in [
        ("assignment", {"organisation": "УК"}),
        ("response", {"text": "Принято"}),
        ("resolution", {"text": "Вывезли"}),
        ("reopening", {"reason": "Снова не вывозят"}),
    ]:
        assert client.post(f"{url}/{path}", json=body, headers=operator).status_code == 200
    reopened = client.get(url, headers=operator).json()
    assert reopened["status"] == "assigned" and reopened["reopen_count"] == 1


def test_rejection_and_duplicate(
    client: TestClient, operator: dict[str, str], clock: ManualClock, registered: str
) -> None:
    other = client.post("/api/v1/complaints", json=post_body(clock, source_ref="wall-1_999"), headers=operator)
    dup = client.post(
        f"/api/v1/complaints/{other.json()['id']}/duplicate", json={"original_id": registered}, headers=operator
    )
    assert dup.json()["status"] == "duplicate" and dup.json()["duplicate_of"] == registered
    third = client.post("/api/v1/complaints", json=post_body(clock, source_ref="wall-1_1000"), headers=operator)
    rejected = client.post(f"{third.headers['location']}/rejection", json={"reason": "Реклама"}, headers=operator)
    assert rejected.json()["status"] == "rejected"


def _problem(response, status: int, *fragments: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body = response.json()
    assert body["status"] == status and body["title"] and body["detail"]
    for fragment in fragments:
        assert fragment in body["detail"], body["detail"]


def test_a_refused_move_is_409_and_names_the_state(
    client: TestClient, operator: dict[str, str], registered: str
) -> None:
    refused = client.post(f"/api/v1/complaints/{registered}/resolution", json={"text": "x"}, headers=operator)
    _problem(refused, 409, "cannot resolve a complaint that is registered")
    assert (refused.json()["move"], refused.json()["status_now"]) == ("resolve", "registered")


def test_a_stale_version_is_412_and_records_nothing(
    client: TestClient, operator: dict[str, str], registered: str
) -> None:
    url = f"/api/v1/complaints/{registered}"
    client.post(f"{url}/assignment", json={"organisation": "ДГХ"}, headers=operator)
    _problem(
        client.post(f"{url}/response", json={"text": "Ответ"}, headers={**operator, "If-Match": '"1"'}),
        412,
        "version 1",
        "version 2",
    )
    assert client.get(url, headers=operator).json()["version"] == 2


@pytest.mark.parametrize("if_match", ['"abc"', "version-2", '"1", "2"'])
def test_an_unreadable_if_match_is_400(
    client: TestClient, operator: dict[str, str], registered: str, if_match: str
) -> None:
    _problem(
        client.post(
            f"/api/v1/complaints/{registered}/assignment",
            json={"organisation": "ДГХ"},
            headers={**operator, "If-Match": if_match},
        ),
        400,
        "If-Match",
    )


def test_unknown_ids_are_404(client: TestClient, operator: dict[str, str], registered: str) -> None:
    missing = "00000000-0000-0000-0000-000000000001"
    _problem(client.get(f"/api/v1/complaints/{missing}", headers=operator), 404, missing)
    _problem(client.get(f"/api/v1/complaints/{missing}/history", headers=operator), 404)
    _problem(client.post(f"/api/v1/complaints/{missing}/assignment", json={"organisation": "x"}, headers=operator), 404)
    _problem(
        client.post(f"/api/v1/complaints/{registered}/duplicate", json={"original_id": missing}, headers=operator),
        404,
        missing,
    )
    _problem(client.get("/api/v1/complaints/not-a-uuid", headers=operator), 404)


BAD_BODIES = {
    "malformed JSON": (b'{"channel": "vk",', 400, "not valid JSON"),
    "not an object": (b"[1, 2]", 400, "Expected `object`"),
    "wrong type": ({"text": 5}, 400, "text"),
    "unknown channel": ({"channel": "fax"}, 400, "channel"),
    "empty text": ({"text": ""}, 400, "text"),
    "blank text": ({"text": "   \n "}, 422, "must not be empty"),
    "oversized text": ({"text": "я" * 10_001}, 400, "text"),
    "naive timestamp": ({"received_at": "2026-11-28T09:00:00"}, 400, "received_at: must be ISO 8601 with its offset"),
    "control characters": ({"text": "яма\x00\x07"}, 400, "control characters"),
    "unknown field": ({"priority": "high"}, 400, "priority"),
    "missing field": ({"author_ref": None}, 400, "author_ref"),
    "future publication": ({"received_at": "2030-01-01T00:00:00+03:00"}, 422, "future"),
}


@pytest.mark.parametrize("case", list(BAD_BODIES), ids=list(BAD_BODIES))
def test_bad_registrations_are_4xx_with_a_clear_detail_and_store_nothing(
    case: str, client: TestClient, operator: dict[str, str], clock: ManualClock, services: Services
) -> None:
    patch, status, fragment = BAD_BODIES[case]
    if isinstance(patch, bytes):
        response = client.post(
            "/api/v1/complaints", content=patch, headers={**operator, "Content-Type": "application/json"}
        )
    else:
        body = {k: v for k, v in {**post_body(clock), **patch}.items() if v is not None}
        response = client.post("/api/v1/complaints", json=body, headers=operator)
    _problem(response, status, fragment)
    assert services.complaints.recorder.max_notification_id() is None


def test_an_oversized_body_is_413(client: TestClient, operator: dict[str, str], services: Services) -> None:
    response = client.post(
        "/api/v1/complaints",
        content=b"{" + b" " * 70_000 + b"}",
        headers={**operator, "Content-Type": "application/json"},
    )
    _problem(response, 413)
    assert services.complaints.recorder.max_notification_id() is None


def test_health_and_openapi_need_no_token(client: TestClient) -> None:
    health = client.get("/health")
    assert health.status_code == 200 and health.json()["status"] == "ok"
    schema = client.get("/schema/openapi.json").json()
    assert "/api/v1/complaints/{complaint_id}/assignment" in schema["paths"]
    assert client.get("/schema").status_code == 200


def test_the_api_on_each_durable_store(durable_settings: Settings, clock: ManualClock) -> None:
    services = bootstrap(durable_settings, clock=clock)
    headers = {"Authorization": f"Bearer {services.access.issue_token(role='operator', name='db')}"}
    try:
        with TestClient(create_app(services)) as client:
            url = client.post("/api/v1/complaints", json=post_body(clock), headers=headers).headers["location"]
            client.post(f"{url}/assignment", json={"organisation": "ДГХ"}, headers=headers)
            stale = client.post(f"{url}/response", json={"text": "x"}, headers={**headers, "If-Match": '"1"'})
            assert stale.status_code == 412
            assert client.get(url, headers=headers).json()["version"] == 2
    finally:
        services.close()
