"""GET /api/v1/deliveries and the console's /deliveries, a page at a time: one answer once held
11,845 deliveries (4.4 MB)."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from litestar.testing import TestClient

from application.commands import Register, RequestClarification
from domain.delivery import DeliveryState
from interfaces.bootstrap import Services
from interfaces.http.channels import DELIVERIES_PAGE, MAX_DELIVERIES_PAGE
from tests.fixtures import START

Auth = Callable[..., dict[str, str]]
COUNT = 2 * DELIVERIES_PAGE + 7


def _failed_replies(services: Services, count: int) -> list[str]:
    """VK complaints asked for their address while no gateway can send on VK: each reply fails.
    Returns the deliveries' complaints in the order they were scheduled."""
    complaints = []
    for number in range(count):
        registration = services.complaints.register(
            Register(
                channel="vk",
                source_ref=f"wall-1_{number}",
                author_ref=f"vk:id{number}",
                text="Мусор не вывозят",
                received_at=START - timedelta(minutes=5),
                actor="intake:vk",
            )
        )
        services.complaints.handle(RequestClarification(registration.complaint_id, question="Где?", actor="op"))
        complaints.append(str(registration.complaint_id))
    services.channels.reply_worker().step()
    assert services.channels.replies.delivery_counts()[DeliveryState.FAILED] == count
    return complaints


def _pages(client: TestClient, headers: dict[str, str], **params: object) -> list[dict]:
    pages, cursor = [], None
    while True:
        answer = client.get("/api/v1/deliveries", params={**params, **({"cursor": cursor} if cursor else {})},
                            headers=headers)  # fmt: skip
        assert answer.status_code == 200, answer.text
        pages.append(answer.json())
        cursor = answer.json()["next_cursor"]
        if cursor is None:
            return pages


def test_every_delivery_is_on_one_page_oldest_first(client: TestClient, services: Services, auth: Auth) -> None:
    complaints = _failed_replies(services, COUNT)
    headers = auth("operator")
    pages = _pages(client, headers)
    assert [len(page["items"]) for page in pages] == [DELIVERIES_PAGE, DELIVERIES_PAGE, 7]
    assert [item["complaint_id"] for page in pages for item in page["items"]] == complaints

    pages = _pages(client, headers, state="failed", limit=MAX_DELIVERIES_PAGE)
    assert len(pages) == 1 and len(pages[0]["items"]) == COUNT
    assert _pages(client, headers, state="sent") == [{"items": [], "next_cursor": None}]


def test_a_delivery_that_moves_between_pages_is_neither_repeated_nor_makes_another_skipped(
    client: TestClient, services: Services, auth: Auth
) -> None:
    complaints = _failed_replies(services, 30)
    headers = auth("operator")
    first = client.get("/api/v1/deliveries", params={"state": "failed", "limit": 10}, headers=headers).json()
    # Two leave the failed ones meanwhile: one already listed, one not yet.
    for moved in (first["items"][3]["id"], None):
        if moved is None:
            second = client.get("/api/v1/deliveries", params={"state": "failed", "limit": 1,
                                "cursor": first["next_cursor"]}, headers=headers).json()  # fmt: skip
            moved = second["items"][0]["id"]
        assert client.post(f"/api/v1/deliveries/{moved}/requeue", headers=headers).status_code == 200
    rest = _pages(client, headers, state="failed", limit=10, cursor=first["next_cursor"])
    listed = [item["complaint_id"] for item in first["items"]] + [
        item["complaint_id"] for page in rest for item in page["items"]
    ]
    assert listed == complaints[:10] + complaints[11:]


@pytest.mark.parametrize(
    "params",
    [{"limit": 0}, {"limit": MAX_DELIVERIES_PAGE + 1}, {"cursor": "abc"}, {"cursor": "-1"}, {"cursor": "9" * 40}],
)
def test_a_limit_or_cursor_out_of_bounds_is_a_400(client: TestClient, auth: Auth, params: dict) -> None:
    answer = client.get("/api/v1/deliveries", params=params, headers=auth("operator"))
    assert answer.status_code == 400
    assert answer.headers["content-type"].startswith("application/problem+json")


def test_the_schema_documents_the_page(client: TestClient) -> None:
    schema = client.get("/schema/openapi.json").json()
    operation = schema["paths"]["/api/v1/deliveries"]["get"]
    parameters = {parameter["name"]: parameter for parameter in operation["parameters"]}
    assert parameters["limit"]["schema"]["maximum"] == MAX_DELIVERIES_PAGE
    assert parameters["limit"]["schema"]["default"] == DELIVERIES_PAGE
    assert "cursor" in parameters
    page = schema["components"]["schemas"]["DeliveryListPage"]
    assert set(page["properties"]) == {"items", "next_cursor"}


def test_the_console_lists_the_same_pages(client: TestClient, services: Services, person: Auth) -> None:
    complaints = _failed_replies(services, DELIVERIES_PAGE + 3)
    supervisor = person("supervisor")
    first = client.get("/deliveries", headers=supervisor)
    assert first.status_code == 200
    listed = [complaint for complaint in complaints if f'"/complaints/{complaint}"' in first.text]
    assert listed == complaints[:DELIVERIES_PAGE]
    [link] = [line for line in first.text.splitlines() if 'rel="next"' in line]
    cursor = link.split("cursor=")[1].split('"')[0]
    second = client.get("/deliveries", params={"cursor": cursor}, headers=supervisor).text
    listed = [complaint for complaint in complaints if f'"/complaints/{complaint}"' in second]
    assert listed == complaints[DELIVERIES_PAGE:] and 'rel="next"' not in second
    assert client.get("/deliveries", params={"cursor": "x"}, headers=supervisor).status_code == 400
