"""What the DTOs refuse at the door: publication times out of reason, line breaks in fields
that are one line (a name, an address, a reference)."""

from datetime import timedelta
from typing import Any

import pytest
from litestar.testing import TestClient

from interfaces.bootstrap import Services
from tests.fixtures import START

Auth = Any
SEPARATORS = {"LS": "\u2028", "PS": "\u2029", "NEL": "\u0085", "LF": "\n", "TAB": "\t"}


def _registration(**changes: Any) -> dict[str, Any]:
    return {
        "channel": "phone",
        "source_ref": "wall-1_77",
        "author_ref": "vk:id77",
        "text": "Не работает фонарь у подъезда",
        "received_at": START.isoformat(),
        **changes,
    }


@pytest.mark.parametrize(
    "received_at",
    [
        "0001-01-01T00:00:00+03:00",
        "1900-01-01T00:00:00+03:00",
        "1999-12-31T23:59:59+00:00",
        (START - timedelta(days=365, seconds=1)).isoformat(),
    ],
)
def test_a_publication_over_a_year_ago_is_the_services_422(
    client: TestClient, auth: Auth, services: Services, received_at: str
) -> None:
    response = client.post("/api/v1/complaints", headers=auth("operator"), json=_registration(received_at=received_at))
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["detail"] == "the publication time is more than a year ago"
    assert services.complaints.recorder.max_notification_id() is None


@pytest.mark.parametrize("received_at", ["1764000000", 1764000000, 1764000000.5, "2026-11-28", "28.11.2026 09:00"])
def test_a_publication_time_that_is_not_iso_8601_with_its_offset_is_a_400(
    client: TestClient, auth: Auth, services: Services, received_at: Any
) -> None:
    response = client.post("/api/v1/complaints", headers=auth("operator"), json=_registration(received_at=received_at))
    assert response.status_code == 400, response.text
    assert "received_at" in response.json()["detail"]
    assert services.complaints.recorder.max_notification_id() is None


@pytest.mark.parametrize("received_at", ["9999-12-31T23:59:59-12:00", "9999-12-31T23:59:59+14:00"])
def test_a_publication_at_the_end_of_time_is_the_services_422(client: TestClient, auth: Auth, received_at: str) -> None:
    response = client.post("/api/v1/complaints", headers=auth("operator"), json=_registration(received_at=received_at))
    assert response.status_code == 422 and "future" in response.json()["detail"]


def test_a_publication_just_within_the_year_is_accepted(client: TestClient, auth: Auth) -> None:
    received_at = (START - timedelta(days=365) + timedelta(minutes=1)).isoformat()
    response = client.post("/api/v1/complaints", headers=auth("operator"), json=_registration(received_at=received_at))
    assert response.status_code == 201, response.text


@pytest.mark.parametrize("separator", list(SEPARATORS.values()), ids=list(SEPARATORS))
@pytest.mark.parametrize("field", ["address", "district", "author_name", "source_ref", "author_ref"])
def test_a_single_line_field_with_a_line_break_is_a_400(
    client: TestClient, auth: Auth, services: Services, field: str, separator: str
) -> None:
    response = client.post(
        "/api/v1/complaints", headers=auth("operator"), json=_registration(**{field: f"улица{separator}Ленина"})
    )
    assert response.status_code == 400, response.text
    assert response.json()["detail"] == f"{field}: must be a single line without control characters"
    assert services.complaints.recorder.max_notification_id() is None


@pytest.mark.parametrize("separator", list(SEPARATORS.values()), ids=list(SEPARATORS))
def test_commands_and_forgetting_keep_their_single_line_fields_single(
    client: TestClient, auth: Auth, separator: str
) -> None:
    supervisor = auth("supervisor")
    url = client.post("/api/v1/complaints", headers=supervisor, json=_registration()).headers["location"]
    line = f"ДГХ{separator}отдел"
    for path, body in [
        (f"{url}/assignment", {"organisation": line}),
        (f"{url}/assignment", {"organisation": "ДГХ", "executor": line}),
        (f"{url}/clarification", {"text": "Дом 5", "address": line}),
        ("/api/v1/citizens/forgetting", {"author_ref": line}),
    ]:
        response = client.post(path, headers=supervisor, json=body)
        assert response.status_code == 400, (path, body, response.text)


def test_the_text_itself_may_have_lines(client: TestClient, auth: Auth) -> None:
    text = "Первая строка\nвторая\u2028третья\u2029и табуляция\t"
    response = client.post("/api/v1/complaints", headers=auth("operator"), json=_registration(text=text))
    assert response.status_code == 201 and response.json()["text"] == text
