"""The console's pages on a SQLite store with the tests' controlled clock."""

from collections.abc import Iterator

import pytest
from litestar.testing import TestClient

from adapters.clock import ManualClock
from adapters.config import Settings
from interfaces.bootstrap import Services, bootstrap
from interfaces.http.app import create_app


@pytest.fixture
def console_services(sqlite_settings: Settings, clock: ManualClock) -> Iterator[Services]:
    built = bootstrap(sqlite_settings, clock=clock)
    yield built
    built.close()


@pytest.fixture
def console(console_services: Services) -> Iterator[TestClient]:
    with TestClient(create_app(console_services)) as test_client:
        yield test_client
