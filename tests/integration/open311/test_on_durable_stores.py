"""Open311 on the durable stores: its own records' tables, the queue's view and the log's
bisection work on SQLite and PostgreSQL as on the in-memory store."""

from collections.abc import Iterator
from datetime import timedelta
from uuid import UUID

import pytest
from litestar.testing import TestClient

from adapters.clock import ManualClock
from adapters.config import Settings
from application.commands import Respond
from interfaces.bootstrap import Services, bootstrap
from interfaces.http.app import create_app
from tests.support.open311 import FORM, HOT_WATER, PUSHKINSKAYA, ROOT, form


@pytest.fixture
def durable(durable_settings: Settings, clock: ManualClock) -> Iterator[tuple[Services, TestClient]]:
    services = bootstrap(durable_settings, clock=clock)
    try:
        with TestClient(create_app(services)) as client:
            yield services, client
    finally:
        services.close()


def test_a_request_is_kept_listed_and_followed(durable: tuple[Services, TestClient], clock: ManualClock) -> None:
    services, client = durable
    key = services.access.issue_token(role="open311", name="city app")
    posted = client.post(
        f"{ROOT}/requests.json",
        headers=FORM,
        content=form(api_key=key, **HOT_WATER, **PUSHKINSKAYA, lat="47.2261", long="39.7181"),
    )
    assert posted.status_code == 201, posted.text
    created = posted.json()[0]
    clock.advance(timedelta(hours=2))
    services.complaints.handle(
        Respond(UUID(created["service_request_id"]), text="Бригада выехала", actor="operator:Анна")
    )

    [listed] = client.get(f"{ROOT}/requests.json", params={"status": "open"}).json()
    assert (listed["service_request_id"], listed["lat"], listed["status_notes"]) == (
        created["service_request_id"],
        47.2261,
        "Бригада выехала",
    )
    assert (
        client.get(f"{ROOT}/tokens/{created['token']}.json").json()[0]["service_request_id"]
        == (created["service_request_id"])
    )
    updates = client.get(
        f"{ROOT}/servicerequestupdates.json", params={"start_date": (clock.now() - timedelta(hours=1)).isoformat()}
    ).json()
    assert [update["description"] for update in updates] == ["Бригада выехала"]
