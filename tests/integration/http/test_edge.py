"""The HTTP edge: deep JSON and rate limits, on every route reachable without a token."""

import asyncio
from collections.abc import Callable, Iterator

import httpx
import pytest
from litestar.testing import TestClient

from adapters.clock import ManualClock
from adapters.config import Settings
from interfaces.bootstrap import Services, bootstrap
from interfaces.http.app import create_app
from tests.fixtures import START

Auth = Callable[..., dict[str, str]]
DEEP = [b"[" * 1000 + b"]" * 1000, b'{"a":' * 1000 + b"1" + b"}" * 1000]
JSON_ENDPOINTS = [
    "/hooks/vk",
    "/hooks/telegram",
    "/api/v1/complaints",
    "/api/v1/complaints/00000000-0000-4000-8000-000000000001/assignment",
    "/api/v1/citizens/forgetting",
]


@pytest.mark.parametrize("path", JSON_ENDPOINTS)
@pytest.mark.parametrize("body", DEEP, ids=["arrays", "objects"])
def test_json_nested_a_thousand_deep_is_a_400_on_every_json_endpoint(
    client: TestClient, auth: Auth, path: str, body: bytes
) -> None:
    response = client.post(path, content=body, headers={**auth("supervisor"), "Content-Type": "application/json"})
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "nested deeper than 32" in response.json()["detail"]


def test_brackets_in_a_citizens_text_are_not_nesting(client: TestClient, auth: Auth) -> None:
    text = "Сломана скамейка [[[[" * 20 + " {{{{" * 20
    response = client.post(
        "/api/v1/complaints",
        headers=auth("operator"),
        json={
            "channel": "phone",
            "source_ref": "wall-1_1",
            "author_ref": "vk:id1",
            "text": text,
            "received_at": START.isoformat(),
        },
    )
    assert response.status_code == 201, response.text


@pytest.fixture
def limited(clock: ManualClock) -> Iterator[Services]:
    settings = Settings(store="memory", rate_limit_burst=3, rate_limit_per_minute=1, rate_limit_hooks_per_minute=60)
    built = bootstrap(settings, clock=clock)
    yield built
    built.close()


def _calls(services: Services, requests: list[tuple[str, str, str, dict[str, str]]]) -> list[httpx.Response]:
    """Each request (client address, method, path, form) through the ASGI app, in order."""

    async def run() -> list[httpx.Response]:
        app = create_app(services)
        answers = []
        for address, method, path, form in requests:
            transport = httpx.ASGITransport(app=app, client=(address, 40000))
            async with httpx.AsyncClient(transport=transport, base_url="http://mcu") as http:
                answers.append(await http.request(method, path, data=form or None))
        return answers

    return asyncio.run(run())


def test_open311_answers_429_with_retry_after_in_its_own_format_past_the_burst(limited: Services) -> None:
    answers = _calls(limited, [("10.0.0.1", "GET", "/open311/v2/discovery.json", {})] * 4)
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    refused = answers[-1]
    assert 50 <= int(refused.headers["retry-after"]) <= 60  # one call a minute
    assert refused.json() == [{"code": 429, "description": refused.json()[0]["description"]}]
    xml = _calls(limited, [("10.0.0.2", "GET", "/open311/v2/services.xml", {})] * 4)[-1]
    assert xml.status_code == 429 and b"<code>429</code>" in xml.content
    # Another address has a bucket of its own.
    assert _calls(limited, [("10.0.0.3", "GET", "/open311/v2/discovery.json", {})])[0].status_code == 200


def test_one_key_from_many_addresses_is_limited_by_the_key(limited: Services) -> None:
    key = limited.access.issue_token(role="open311", name="city app")
    form = {"api_key": key, "service_code": "no_such_service"}
    answers = _calls(limited, [(f"10.0.1.{n}", "POST", "/open311/v2/requests.json", form) for n in range(4)])
    # The form still reaches the controller after the limiter read its key: 404 for the service.
    assert [a.status_code for a in answers] == [404, 404, 404, 429]
    assert "key" in answers[-1].json()[0]["description"]


def test_webhooks_have_a_limit_of_their_own_answered_as_problem_json(limited: Services) -> None:
    answers = _calls(limited, [("10.0.2.1", "POST", "/hooks/telegram", {})] * 4)
    assert answers[-1].status_code == 429 and answers[0].status_code != 429
    assert answers[-1].headers["content-type"].startswith("application/problem+json")
    assert answers[-1].headers["retry-after"] == "1"


def test_calls_with_a_token_and_the_health_check_are_not_limited(limited: Services) -> None:
    token = limited.access.issue_token(role="operator", name="Anna")
    with TestClient(create_app(limited)) as client:
        for _ in range(6):
            assert client.get("/api/v1/complaints", headers={"Authorization": f"Bearer {token}"}).status_code == 200
            assert client.get("/health").status_code == 200
        assert [client.get("/schema/openapi.json").status_code for _ in range(4)][-1] == 429
