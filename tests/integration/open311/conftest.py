"""Fixtures for Open311: a real server for clients that speak HTTP, and a poster of raw forms."""

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from litestar.testing import TestClient

from adapters.clock import ManualClock
from adapters.config import Settings
from interfaces.bootstrap import Services, bootstrap
from interfaces.http.app import create_app
from tests.fixtures import START
from tests.support.open311 import FORM, ROOT, Live, form, serving


@pytest.fixture(scope="module")
def live() -> Iterator[Live]:
    """One server per module: the client tests read what earlier ones posted, as a city's would."""
    clock = ManualClock(START)
    services = bootstrap(Settings(store="memory"), clock=clock)
    key = services.access.issue_token(role="open311", name="fixmystreet")
    try:
        with serving(create_app(services)) as url:
            yield Live(services, clock, url, key)
    finally:
        services.close()


@pytest.fixture
def post_request(client: TestClient, services: Services) -> Callable[..., Any]:
    """Posts a request with a fresh Open311 key unless the test gives its own ``api_key``
    (None leaves the field out)."""
    key = services.access.issue_token(role="open311", name="city app")

    def post(fmt: str = "json", **fields: Any) -> Any:
        given = {name: value for name, value in {"api_key": key, **fields}.items() if value is not None}
        return client.post(f"{ROOT}/requests.{fmt}", content=form(**given), headers=FORM)

    return post
