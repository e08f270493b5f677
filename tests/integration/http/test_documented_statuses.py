"""The OpenAPI document lists the refusals every operation shares, derived from what the
operation is (interfaces/http/documented.py), besides those each handler declares."""

from typing import Any

import pytest
from litestar.testing import TestClient

from application.errors import Busy

PROBLEM = "application/problem+json"


@pytest.fixture
def operations(client: TestClient) -> dict[str, tuple[str, dict[str, Any]]]:
    document = client.get("/schema/openapi.json").json()
    return {
        operation["operationId"]: (path, operation)
        for path, item in document["paths"].items()
        for operation in item.values()
        if isinstance(operation, dict) and "operationId" in operation
    }


def _statuses(operation: dict[str, Any]) -> set[int]:
    return {int(status) for status in operation["responses"]}


def test_every_operation_with_a_token_documents_401_403_and_503_with_retry_after(
    operations: dict[str, tuple[str, dict[str, Any]]],
) -> None:
    with_token = {name: op for name, (_, op) in operations.items() if op.get("security") != []}
    assert {"listComplaints", "getReactionStats", "getScreening", "listDeliveries", "getMetrics"} <= set(with_token)
    for name, operation in with_token.items():
        assert {401, 403, 503} <= _statuses(operation), name
        assert "429" not in operation["responses"], name
        unavailable = operation["responses"]["503"]
        assert "Retry-After" in unavailable["headers"], name
        assert PROBLEM in unavailable["content"], name


def test_ids_in_the_path_may_be_missing_and_bodies_invalid_or_too_large(
    operations: dict[str, tuple[str, dict[str, Any]]],
) -> None:
    for name, (path, operation) in operations.items():
        if "{" in path:
            assert 404 in _statuses(operation), name
        if "requestBody" in operation:
            assert {400, 413} <= _statuses(operation), name
    assert {404, 409} <= _statuses(operations["requeueDelivery"][1])
    assert {404} <= _statuses(operations["getIncident"][1])


def test_a_repeated_registration_and_each_moves_own_refusals_are_documented(
    operations: dict[str, tuple[str, dict[str, Any]]],
) -> None:
    assert {200, 201, 409, 422} <= _statuses(operations["registerComplaint"][1])
    assert {409, 412, 422} <= _statuses(operations["assignComplaint"][1])


def test_the_webhooks_document_their_refusals_and_their_rate_limit(
    operations: dict[str, tuple[str, dict[str, Any]]],
) -> None:
    for name in ("vkCallback", "telegramWebhook"):
        operation = operations[name][1]
        assert {400, 403, 413, 429, 503} <= _statuses(operation), name
        assert "Retry-After" in operation["responses"]["429"]["headers"]
    assert "text/plain" in operations["vkCallback"][1]["responses"]["403"]["content"]


def test_the_public_health_check_is_not_rate_limited(operations: dict[str, tuple[str, dict[str, Any]]]) -> None:
    assert _statuses(operations["health"][1]) == {200, 503}


def test_writers_contending_too_long_answer_503_with_retry_after(
    client: TestClient, auth: Any, monkeypatch: pytest.MonkeyPatch, services: Any
) -> None:
    def contended(*_: Any, **__: Any) -> None:
        raise Busy("concurrent writers kept winning")

    monkeypatch.setattr(services.complaints, "get", contended)
    answer = client.get("/api/v1/complaints/00000000-0000-4000-8000-000000000000", headers=auth("operator"))
    assert answer.status_code == 503 and answer.headers["content-type"].startswith(PROBLEM)
    assert answer.headers["Retry-After"] == "1"
