"""An executor sees and moves only the complaints assigned to their organisation, through the
API as through the console: another organisation's complaint is 404, as if absent."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from litestar.testing import TestClient

from adapters.clock import ManualClock
from interfaces.bootstrap import Services

Auth = Callable[..., dict[str, str]]


@pytest.fixture
def complaints(client: TestClient, auth: Auth, clock: ManualClock) -> dict[str, str]:
    """Two complaints, one assigned to ДГХ and one to Водоканал: organisation → URL."""
    urls = {}
    operator = auth("operator")
    for number, organisation in enumerate(("ДГХ", "Водоканал")):
        registered = client.post(
            "/api/v1/complaints",
            headers=operator,
            json={
                "channel": "phone",
                "source_ref": f"call/{number}",
                "author_ref": f"phone:{number}",
                "text": "Не горит фонарь у дома Стачки 10",
                "received_at": (clock.now() - timedelta(minutes=5)).isoformat(),
            },
        )
        url = registered.headers["location"]
        client.post(f"{url}/assignment", json={"organisation": organisation}, headers=operator)
        urls[organisation] = url
    return urls


def test_another_organisation_s_complaint_is_404_to_read_its_history_and_move(
    client: TestClient, auth: Auth, complaints: dict[str, str], services: Services
) -> None:
    executor = auth("executor", organisation="ДГХ")
    mine, theirs = complaints["ДГХ"], complaints["Водоканал"]
    assert client.get(mine, headers=executor).status_code == 200
    assert client.get(f"{mine}/history", headers=executor).status_code == 200
    assert client.get(theirs, headers=executor).status_code == 404
    assert client.get(f"{theirs}/history", headers=executor).status_code == 404
    for move, body in (("response", {"text": "Выехали"}), ("resolution", {"text": "Заменили"})):
        refused = client.post(f"{theirs}/{move}", json=body, headers=executor)
        assert refused.status_code == 404, refused.text
    assert client.get(theirs, headers=auth("operator")).json()["version"] == 2
    answered = client.post(f"{mine}/response", json={"text": "Бригада выехала"}, headers=executor)
    assert answered.status_code == 200
    account = services.accounts.by_login("test-executor-ДГХ")
    assert client.get(f"{mine}/history", headers=executor).json()[-1]["actor"] == f"executor:test-executor#{account.id}"


def test_the_queue_lists_an_executor_only_their_organisation_s(
    client: TestClient, auth: Auth, complaints: dict[str, str]
) -> None:
    executor = auth("executor", organisation="Водоканал")
    listed = client.get("/api/v1/complaints", headers=executor).json()["items"]
    assert [item["organisation"] for item in listed] == ["Водоканал"]
    asked_for_another = client.get("/api/v1/complaints", params={"organisation": "ДГХ"}, headers=executor)
    assert asked_for_another.json()["items"] == []
    everyone = client.get("/api/v1/complaints", headers=auth("operator")).json()["items"]
    assert sorted(item["organisation"] for item in everyone) == ["Водоканал", "ДГХ"]


def test_a_new_organisation_applies_to_the_account_s_tokens(
    client: TestClient, auth: Auth, complaints: dict[str, str], services: Services, clock: ManualClock
) -> None:
    executor = auth("executor", organisation="ДГХ")
    assert client.get(complaints["Водоканал"], headers=executor).status_code == 404
    services.accounts.reassign("test-executor-ДГХ", role="executor", organisation="Водоканал")
    clock.advance(timedelta(minutes=1))  # past the worker's memory of the verified token
    assert client.get(complaints["Водоканал"], headers=executor).status_code == 200
    services.accounts.deactivate("test-executor-ДГХ")
    clock.advance(timedelta(minutes=1))
    assert client.get(complaints["Водоканал"], headers=executor).status_code == 401
