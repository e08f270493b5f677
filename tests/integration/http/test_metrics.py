"""/metrics, as Prometheus reads it: for supervisors and auditors only; requests counted by
route template and status; the store's figures read when scraped; no id in any label."""

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from uuid import uuid4

import pytest
from litestar.testing import TestClient
from prometheus_client.parser import text_string_to_metric_families

from adapters.clock import ManualClock
from application.projections.readmodels import PROJECTIONS
from domain.delivery import DeliveryState
from interfaces.bootstrap import Services
from tests.integration.http.test_complaints_api import post_body

Auth = Callable[..., dict[str, str]]
Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def scraped(client: TestClient, headers: dict[str, str]) -> Samples:
    answer = client.get("/metrics", headers=headers)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/plain")
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(answer.text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    """The sample's value; 0 for a series not (yet) there, as Prometheus reads a new counter."""
    return samples.get((name, frozenset(labels.items())), 0.0)


@pytest.mark.parametrize(("role", "status"), [("operator", 403), ("executor", 403), ("intake", 403)])
def test_metrics_need_a_supervisor_s_or_an_auditor_s_token(
    client: TestClient, auth: Auth, role: str, status: int
) -> None:
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer mcu_not-a-token"}).status_code == 401
    assert client.get("/metrics", headers=auth(role)).status_code == status
    for admitted in ("supervisor", "auditor"):
        assert client.get("/metrics", headers=auth(admitted)).status_code == 200


def test_requests_are_counted_by_route_template_and_status_with_their_latency(
    client: TestClient, auth: Auth, clock: ManualClock
) -> None:
    supervisor, operator = auth("supervisor"), auth("operator")
    before = scraped(client, supervisor)
    registered = client.post("/api/v1/complaints", headers=operator, json=post_body(clock, source_ref=uuid4().hex))
    assert registered.status_code == 201
    complaint_id = registered.json()["id"]
    assert client.get(f"/api/v1/complaints/{complaint_id}", headers=operator).status_code == 200
    assert client.get(f"/api/v1/complaints/{uuid4()}", headers=operator).status_code == 404
    assert client.get(f"/api/v1/complaints/{complaint_id}").status_code == 401
    after = scraped(client, supervisor)

    def moved(name: str, method: str, path: str, status: int) -> float:
        labels = {"method": method, "path": path, "status_code": str(status), "app_name": "mcu"}
        return value(after, name, **labels) - value(before, name, **labels)

    one = "/api/v1/complaints/{complaint_id}"
    assert moved("mcu_http_requests_total", "POST", "/api/v1/complaints", 201) == 1
    assert moved("mcu_http_requests_total", "GET", one, 200) == 1
    assert moved("mcu_http_requests_total", "GET", one, 404) == 1
    # Refused by the token middleware, it is counted as what it was, not as a 200.
    assert moved("mcu_http_requests_total", "GET", one, 401) == 1
    assert moved("mcu_http_request_duration_seconds_count", "POST", "/api/v1/complaints", 201) == 1
    assert moved("mcu_http_request_duration_seconds_sum", "POST", "/api/v1/complaints", 201) > 0
    # The group commit wrote the registration in a batch of its own.
    assert value(after, "mcu_registration_batch_size_count") - value(before, "mcu_registration_batch_size_count") == 1
    assert value(after, "mcu_registration_batch_size_bucket", le="1.0") > value(
        before, "mcu_registration_batch_size_bucket", le="1.0"
    )
    labels = {label for _, labelled in after for label in labelled}
    assert not [label for label in labels if complaint_id in label[1]]


def test_the_store_s_figures_are_read_when_scraped(
    client: TestClient, auth: Auth, clock: ManualClock, services: Services
) -> None:
    supervisor = auth("supervisor")
    before = scraped(client, supervisor)
    assert value(before, "mcu_store_up") == 1
    assert {dict(labels)["view"] for name, labels in before if name == "mcu_view_lag_events"} == set(PROJECTIONS)
    assert {dict(labels)["state"] for name, labels in before if name == "mcu_deliveries"} == {
        state.value for state in DeliveryState
    }

    for channel in ("phone", "phone", "web"):
        body = post_body(clock, channel=channel, source_ref=uuid4().hex)
        assert client.post("/api/v1/complaints", headers=auth("operator"), json=body).status_code == 201
    services.channels.records.record_dropped(channel="vk", source_ref="wall-1_1", reason="advert")
    services.channels.records.record_dropped(channel="vk", source_ref="wall-1_2", reason="advert")
    services.channels.records.record_dropped(channel="telegram", source_ref="chat-1_1", reason="thanks")
    assert services.read_models.fresh("volume") == 0
    after = scraped(client, supervisor)

    def moved(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert (moved("mcu_registrations_total", channel="phone"), moved("mcu_registrations_total", channel="web")) == (
        2,
        1,
    )
    assert value(after, "mcu_triage_screened_out_total", channel="vk", reason="advert") == 2
    assert value(after, "mcu_triage_screened_out_total", channel="telegram", reason="thanks") == 1
    assert value(after, "mcu_view_lag_events", view="volume") == 0


def test_a_store_that_cannot_be_read_shows_as_down_not_as_a_500(
    client: TestClient, auth: Auth, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unreachable() -> None:
        raise ConnectionError("no store")

    monkeypatch.setattr(services.read_models, "lag", unreachable)
    samples = scraped(client, auth("auditor"))
    assert value(samples, "mcu_store_up") == 0
    assert not [name for name, _ in samples if name.startswith("mcu_view_")]


def test_mcu_serve_sets_the_multiprocess_folder_before_prometheus_client_is_imported() -> None:
    """prometheus_client chooses between memory and files when imported: were it imported with
    `mcu serve`'s module, a single worker (which uvicorn runs in that process) would keep its
    counters in memory, and a scrape summing the files would miss them."""
    imported = subprocess.run(
        [sys.executable, "-c", "import sys, interfaces.cli.serve; print('prometheus_client' in sys.modules)"],
        cwd=Path(__file__).resolve().parents[3],
        capture_output=True,
        text=True,
        check=True,
    )
    assert imported.stdout.strip() == "False"
