"""The queue and statistics endpoints: read-your-writes, pagination, and the demo's figures."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from litestar.testing import TestClient

from adapters.clock import ManualClock
from adapters.config import Settings
from application.demo import generate
from interfaces.bootstrap import Services, bootstrap
from interfaces.http.app import create_app

Auth = Callable[..., dict[str, str]]


def _post(client: TestClient, headers: dict[str, str], ref: str, text: str, hours_ago: float) -> str:
    received = (datetime(2026, 11, 28, 9, 0, tzinfo=UTC) - timedelta(hours=hours_ago)).isoformat()
    response = client.post(
        "/api/v1/complaints",
        headers=headers,
        json={
            "channel": "phone",
            "source_ref": ref,
            "author_ref": "vk:id1",
            "text": text,
            "received_at": received,
            "category": "roads",
            "district": "Кировский",
        },
    )
    assert response.status_code == 201, response.text
    return response.json()["id"]


def test_a_command_is_in_the_queue_in_the_very_next_response(client: TestClient, auth: Auth) -> None:
    operator = auth("operator")
    ids = [_post(client, operator, f"wall-{n}", f"Не горит фонарь у дома {n}", hours_ago=1.5 * n) for n in range(5)]
    assert (
        client.post(
            f"/api/v1/complaints/{ids[4]}/assignment", headers=operator, json={"organisation": "ДГХ"}
        ).status_code
        == 200
    )
    response = client.get("/api/v1/complaints", headers=operator, params={"organisation": "ДГХ", "status": "assigned"})
    assert response.status_code == 200 and response.headers["x-view-lag"] == "0"
    assert [item["id"] for item in response.json()["items"]] == [ids[4]]
    overdue = client.get("/api/v1/complaints", headers=operator, params={"clock": "overdue", "running": "true"})
    # Assigned is not answered: both complaints past 4 h wait, the older deadline first.
    assert [item["id"] for item in overdue.json()["items"]] == [ids[4], ids[3]]
    assert {item["clock"] for item in overdue.json()["items"]} == {"overdue"}


def test_pages_follow_the_cursor_and_a_foreign_cursor_is_refused(client: TestClient, auth: Auth) -> None:
    operator = auth("operator")
    ids = [_post(client, operator, f"page-{n}", "Яма во дворе у подъезда", hours_ago=n) for n in range(5)]
    seen, cursor = [], None
    while True:
        params = {"sort": "-received", "limit": 2, "q": "подъезде", **({"cursor": cursor} if cursor else {})}
        body = client.get("/api/v1/complaints", headers=operator, params=params).json()
        seen += [item["id"] for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == ids
    wrong = client.get("/api/v1/complaints", headers=operator, params={"cursor": "bm90LWEtY3Vyc29y"})
    assert wrong.status_code == 400 and wrong.headers["content-type"].startswith("application/problem+json")
    other_sort = client.get(
        "/api/v1/complaints", headers=operator, params={"cursor": _first_cursor(client, operator), "sort": "deadline"}
    )
    assert other_sort.status_code == 400


def _first_cursor(client: TestClient, headers: dict[str, str]) -> str:
    return client.get("/api/v1/complaints", headers=headers, params={"sort": "-received", "limit": 1}).json()[
        "next_cursor"
    ]


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/api/v1/stats/volume", {"from_month": "2026-13"}),
        ("/api/v1/stats/reaction", {"period": "year"}),
        ("/api/v1/complaints", {"received_to": "9999-12-31"}),
        ("/api/v1/complaints", {"limit": 0}),
    ],
)
def test_bad_parameters_are_400(client: TestClient, auth: Auth, path: str, params: dict[str, object]) -> None:
    assert client.get(path, headers=auth("supervisor"), params=params).status_code == 400


def test_the_statistics_show_what_the_demo_produced(
    client: TestClient, auth: Auth, services: Services, clock: ManualClock
) -> None:
    start = datetime(2026, 8, 1, tzinfo=UTC)
    clock.set(start)
    summary = generate(services.complaints, clock.set, start=start, months=3, per_month=30, growth=0.2)
    supervisor = auth("supervisor")

    volume = client.get("/api/v1/stats/volume", headers=supervisor).json()
    assert {m["month"]: m["registered"] for m in volume["months"]} == dict(summary.registered)
    assert {m["month"]: m["resolved"] for m in volume["months"]} == dict(summary.resolved)
    assert volume["monthly_average"] == pytest.approx(summary.monthly_average)
    growth = volume["months"][1]["registered_growth"]
    assert growth == pytest.approx(summary.registered["2026-09"] / summary.registered["2026-08"] - 1)

    categories = client.get("/api/v1/stats/categories", headers=supervisor).json()["categories"]
    assert [(c["category"], c["count"]) for c in categories[:3]] == summary.categories.most_common(3)

    overall = client.get("/api/v1/stats/reaction", headers=supervisor).json()["overall"]
    assert (overall["answered"], overall["within_target"], overall["within_norm"]) == (
        summary.reacted,
        summary.within_target,
        summary.within_norm,
    )
    organisations = client.get("/api/v1/stats/organisations", headers=supervisor).json()["organisations"]
    assert sum(o["reopened"] for o in organisations) == summary.reopened


def test_api_workers_read_what_the_projection_process_wrote(durable_settings: Settings, clock: ManualClock) -> None:
    """Production: API workers without projections, and one `mcu project` on the same store."""
    api = bootstrap(durable_settings.model_copy(update={"embedded_projections": False}), clock=clock)
    projection_process = bootstrap(durable_settings, clock=clock)
    projection_process.read_models.start()
    try:
        with TestClient(create_app(api)) as client:
            operator = {"Authorization": f"Bearer {api.access.issue_token(role='operator', name='Анна')}"}
            created = _post(client, operator, "wall-9", "Разбита дорога на Текучёва", hours_ago=1)
            listed = client.get("/api/v1/complaints", headers=operator, params={"q": "дорогу"})
            assert [item["id"] for item in listed.json()["items"]] == [created]
            assert listed.headers["x-view-lag"] == "0"
            assert all(lag.failure is None for lag in api.read_models.lag())
    finally:
        projection_process.close()
        api.close()
