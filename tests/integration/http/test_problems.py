"""Errors nobody mapped, and a store that cannot write, as the API answers them."""

import logging
import re
from collections.abc import Callable
from uuid import UUID, uuid4

import pytest
from litestar.testing import TestClient

from adapters.clock import ManualClock
from adapters.config import Settings
from interfaces.bootstrap import Services, bootstrap
from interfaces.http.app import create_app
from tests.integration.http.test_complaints_api import post_body
from tests.support.stored_rows import StoredRows

Auth = Callable[..., dict[str, str]]
PROBLEM = "application/problem+json"
# What a failure's message may quote: a citizen's own words and contacts.
PERSONAL = "Иванова Мария, Королёва 10 кв. 5, +7 900 123-45-67"


def test_an_unexpected_error_is_a_500_whose_id_finds_its_traceback_in_the_log(
    client: TestClient,
    auth: Auth,
    services: Services,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(complaint_id: UUID) -> None:
        raise KeyError(PERSONAL)

    monkeypatch.setattr(services.complaints, "get", broken)
    with caplog.at_level(logging.ERROR):
        answers = [client.get(f"/api/v1/complaints/{uuid4()}", headers=auth("operator")) for _ in range(2)]

    for answer in answers:
        assert answer.status_code == 500, answer.text
        assert answer.headers["content-type"].startswith(PROBLEM)
        assert PERSONAL not in answer.text and "KeyError" not in answer.text
    ids = [answer.json()["error_id"] for answer in answers]
    assert all(re.fullmatch(r"[0-9a-f]{32}", error_id) for error_id in ids) and ids[0] != ids[1]
    assert all(error_id in answer.json()["detail"] for error_id, answer in zip(ids, answers, strict=True))
    # Each failure is logged once, under its id, with the stack down to the failing call and
    # without the message, which may quote personal data.
    assert len(caplog.records) == 2
    for record, error_id in zip(caplog.records, ids, strict=True):
        logged = record.getMessage()
        assert error_id in logged and "KeyError, raised at:" in logged and "in broken" in logged
        assert PERSONAL not in caplog.text


def test_a_store_that_cannot_write_in_time_is_a_503_on_either_store_naming_no_driver(
    durable_settings: Settings, clock: ManualClock
) -> None:
    # The library raises its own OperationalError for SQLite's "database is locked" and
    # PostgreSQL's lock timeout alike (after its retries: some 12 seconds on PostgreSQL).
    settings = durable_settings.model_copy(update={"sqlite_lock_timeout": 1, "postgres_lock_timeout": 1})
    services = bootstrap(settings, clock=clock)
    headers = {"Authorization": f"Bearer {services.access.issue_token(role='operator', name='locked out')}"}
    try:
        with TestClient(create_app(services), timeout=60) as client:
            with StoredRows(settings).write_locked():
                refused = client.post("/api/v1/complaints", json=post_body(clock), headers=headers)
            assert client.post("/api/v1/complaints", json=post_body(clock), headers=headers).status_code == 201
    finally:
        services.close()
    assert refused.status_code == 503, refused.text
    assert refused.headers["content-type"].startswith(PROBLEM)
    assert refused.headers["retry-after"] == "1"
    assert "unavailable" in refused.json()["detail"]
    assert not re.search(r"sqlite|psycopg|postgres|locked|lock timeout", refused.text, re.IGNORECASE)


def test_open311_answers_an_unexpected_error_in_its_own_format_with_an_id_logged_the_same_way(
    client: TestClient, services: Services, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(service_request_id: str) -> None:
        raise KeyError(PERSONAL)

    monkeypatch.setattr(services.open311, "request", broken)
    with caplog.at_level(logging.ERROR):
        answer = client.get(f"/open311/v2/requests/{uuid4()}.json")
    assert answer.status_code == 500
    [error] = answer.json()
    error_id = re.search(r"[0-9a-f]{32}", error["description"]).group(0)
    assert PERSONAL not in answer.text
    [record] = caplog.records
    assert error_id in record.getMessage() and "in broken" in record.getMessage()
    assert PERSONAL not in caplog.text
