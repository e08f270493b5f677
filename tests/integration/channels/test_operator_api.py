"""The operators' endpoints of the channels: screening counts, failed deliveries, incidents."""

from collections.abc import Callable
from datetime import timedelta

from litestar.testing import TestClient

from application.commands import Assign
from application.intake.source import Post
from interfaces.bootstrap import Services
from tests.fakes.vk import Fault
from tests.fixtures import EXECUTORS_ORGANISATION, START
from tests.integration.channels.conftest import Networks


def _post(ref: str, text: str) -> Post:
    return Post(channel="vk", source_ref=ref, author_ref="vk:id1", text=text, published_at=START - timedelta(minutes=5))


def test_screening_counts_per_day_and_refuses_a_backwards_period(
    client: TestClient, services: Services, auth: Callable[[str], dict[str, str]]
) -> None:
    services.channels.intake.receive(_post("wall-1_1", "Продам гараж, скидка"))
    headers = auth("auditor")
    [day] = client.get("/api/v1/intake/screening", headers=headers).json()
    assert day == {"channel": "vk", "day": "2026-11-28", "dropped": 1, "by_reason": {"advert": 1}}
    backwards = client.get(
        "/api/v1/intake/screening", params={"from": "2026-11-28", "to": "2026-11-01"}, headers=headers
    )
    assert backwards.status_code == 400
    assert client.get("/api/v1/intake/screening", headers=auth("executor")).status_code == 403


def test_a_failed_delivery_is_listed_and_requeued_once(
    client: TestClient, services: Services, networks: Networks, auth: Callable[[str], dict[str, str]]
) -> None:
    result = services.channels.intake.receive(_post("wall-77001_999", "Нет горячей воды!"))
    networks.vk.fail("wall.createComment", Fault(error_code=15))
    services.channels.reply_worker().step()
    headers = auth("operator")
    [failed] = client.get("/api/v1/deliveries", params={"state": "failed"}, headers=headers).json()["items"]
    assert (failed["complaint_id"], failed["state"], failed["kind"]) == (
        str(result.complaint_id),
        "failed",
        "clarification_request",
    )
    assert "error 15" in failed["last_error"]
    requeued = client.post(f"/api/v1/deliveries/{failed['id']}/requeue", headers=headers)
    assert (requeued.status_code, requeued.json()["state"]) == (200, "retrying")
    assert client.post(f"/api/v1/deliveries/{failed['id']}/requeue", headers=headers).status_code == 409
    services.channels.reply_worker().step()
    [sent] = client.get("/api/v1/deliveries", params={"state": "sent"}, headers=headers).json()["items"]
    assert sent["id"] == failed["id"]
    unknown = client.post("/api/v1/deliveries/00000000-0000-0000-0000-000000000001/requeue", headers=headers)
    assert unknown.status_code == 404
    assert client.get("/api/v1/deliveries", headers=auth("executor")).status_code == 403


def test_an_incident_is_read_by_its_id_and_an_unknown_one_is_404(
    client: TestClient, services: Services, auth: Callable[[str], dict[str, str]]
) -> None:
    result = services.channels.intake.receive(_post("wall-1_5", "Мусор не вывозят, Мясникяна 12"))
    # An executor sees an incident through their organisation's complaints only.
    assert client.get(f"/api/v1/incidents/{result.incident_id}", headers=auth("executor")).status_code == 404
    services.complaints.handle(Assign(result.complaint_id, organisation=EXECUTORS_ORGANISATION, actor="operator:a"))
    headers = auth("executor")
    incident = client.get(f"/api/v1/incidents/{result.incident_id}", headers=headers).json()
    assert (incident["category"], incident["address"], incident["district"]) == (
        "waste",
        "улица Мясникяна, 12",
        "Пролетарский",
    )
    assert client.get(f"/api/v1/complaints/{result.complaint_id}/incident", headers=headers).json() == incident
    missing = client.get("/api/v1/incidents/00000000-0000-0000-0000-000000000001", headers=headers)
    assert missing.status_code == 404


def test_the_webhooks_need_no_bearer_token_but_their_own_secret(client: TestClient) -> None:
    assert client.post("/hooks/telegram", json={"update_id": 1}).status_code == 403
    assert client.post("/hooks/vk", json={"type": "confirmation", "group_id": 1}).status_code == 403
