"""The queue's filters and cursors, whatever a client sends, on both stores: an answer or a
400 problem (422 for a category or district that is not the city's), never a 500 (PostgreSQL
refuses NUL in text, SQLite integers beyond 64 bits)."""

import base64
import json
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from litestar.testing import TestClient

from adapters.clock import ManualClock
from adapters.config import Settings
from interfaces.bootstrap import bootstrap
from interfaces.http.app import create_app
from tests.fixtures import START

# Any text a URL can carry: control characters and NUL included, lone surrogates not.
_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)
_KEYS = st.one_of(st.integers(), st.booleans(), st.floats(allow_nan=False), _TEXT, st.none())
_IDS = st.one_of(st.uuids().map(str), _TEXT, st.integers())
Queue = tuple[TestClient, dict[str, str]]


def _cursor(parts: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(parts).encode()).decode().rstrip("=")


@pytest.fixture
def queue(durable_settings: Settings) -> Iterator[Queue]:
    services = bootstrap(durable_settings, clock=ManualClock(START))
    token = services.access.issue_token(role="operator", name="Anna")
    try:
        with TestClient(create_app(services)) as client:
            yield client, {"Authorization": f"Bearer {token}"}
    finally:
        services.close()


def _ask(queue: Queue, params: dict[str, Any]) -> None:
    client, headers = queue
    response = client.get("/api/v1/complaints", params=params, headers=headers)
    assert response.status_code in (200, 400, 422), (params, response.text)
    if response.status_code != 200:
        assert response.headers["content-type"].startswith("application/problem+json")


_SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@_SETTINGS
@given(filter_name=st.sampled_from(["category", "district", "organisation", "q"]), value=_TEXT)
@example(filter_name="category", value="roads\x00")
@example(filter_name="q", value="\x00")
def test_any_text_filter_is_answered_or_refused(queue: Queue, filter_name: str, value: str) -> None:
    _ask(queue, {filter_name: value})


@_SETTINGS
@given(key=_KEYS, last_id=_IDS)
@example(key=2**63, last_id="00000000-0000-4000-8000-000000000001")
@example(key=-(2**63) - 1, last_id="00000000-0000-4000-8000-000000000001")
@example(key=True, last_id="00000000-0000-4000-8000-000000000001")
@example(key=1, last_id="\x00")
def test_any_cursor_is_answered_or_refused(queue: Queue, key: Any, last_id: Any) -> None:
    _ask(queue, {"sort": "deadline", "cursor": _cursor(["deadline", key, last_id])})
