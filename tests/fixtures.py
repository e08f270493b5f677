"""Fixtures shared by every tier and the specifications: a controlled clock, the services on
each store, HTTP clients, the networks' fakes. Loaded as a plugin (see pyproject.toml), not as
a conftest."""

import os
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from uuid import uuid4

import psycopg
import pytest
from litestar.testing import TestClient

from adapters.clock import ManualClock
from adapters.config import Settings
from application.accounts import AccountError
from interfaces.bootstrap import Services, bootstrap
from interfaces.http.app import create_app

if TYPE_CHECKING:
    from playwright.sync_api import Browser

    from tests.fakes.networks import Networks

# 12:00 in Rostov (UTC+3); a moment in the centre's working day.
START = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)

TEST_AUDIT_KEY = "the test suite's audit key"
POSTGRES_DSN = os.environ.get("MCU_TEST_POSTGRES_DSN", "host=127.0.0.1 port=5432 dbname=test user=postgres")


def _postgres_reachable() -> str | None:
    try:
        with psycopg.connect(POSTGRES_DSN, connect_timeout=2):
            return None
    except psycopg.Error as error:
        return f"{type(error).__name__}: {error}".splitlines()[0]


@pytest.fixture(scope="session")
def postgres_dsn() -> str:
    """Skips where no PostgreSQL answers, unless MCU_REQUIRE_POSTGRES=1 (CI) makes that a failure."""
    problem = _postgres_reachable()
    if problem is not None:
        if os.environ.get("MCU_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL is required but unreachable at {POSTGRES_DSN}: {problem}")
        pytest.skip(f"no PostgreSQL at {POSTGRES_DSN}")
    return POSTGRES_DSN


@pytest.fixture
def postgres_settings(postgres_dsn: str, tmp_path: Path) -> Iterator[Settings]:
    """A fresh schema per test, dropped afterwards, so tests never see each other's events."""
    params = psycopg.conninfo.conninfo_to_dict(postgres_dsn)
    schema = f"mcu_test_{uuid4().hex[:12]}"
    with psycopg.connect(postgres_dsn, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield Settings(
            store="postgres",
            postgres_host=str(params.get("host", "127.0.0.1")),
            postgres_port=int(params.get("port", 5432)),
            postgres_dbname=str(params["dbname"]),
            postgres_user=str(params.get("user", "postgres")),
            postgres_password=str(params.get("password", "")),
            postgres_schema=schema,
            audit_key=TEST_AUDIT_KEY,
            # The audit's high-water mark is kept there, per test like the schema.
            data_dir=tmp_path / "var",
        )
    finally:
        with psycopg.connect(postgres_dsn, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture
def sqlite_settings(tmp_path: Path) -> Settings:
    return Settings(store="sqlite", data_dir=tmp_path / "var", audit_key=TEST_AUDIT_KEY)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def services(clock: ManualClock) -> Iterator[Services]:
    """The application on the in-memory store: what unit tests and specifications use."""
    built = bootstrap(Settings(store="memory"), clock=clock)
    yield built
    built.close()


@pytest.fixture(params=["sqlite", "postgres"])
def durable_settings(request: pytest.FixtureRequest) -> Settings:
    """Each durable store in turn; the PostgreSQL run skips cleanly without a server."""
    return request.getfixturevalue(f"{request.param}_settings")


@pytest.fixture
def networks() -> Iterator["Networks"]:
    """Every network's fake on loopback."""
    # Imported here, as the fakes take START from this module.
    from tests.fakes.networks import running_networks

    with running_networks() as running:
        yield running


@pytest.fixture(scope="module")
def chromium() -> Iterator["Browser"]:
    """Debian's Chromium, headless, for the console's browser tests (tests/support/browser.py).
    Per module: while Playwright's sync API runs, its event loop is the thread's, and a later
    test calling asyncio.run would fail."""
    from tests.support.browser import launched

    with launched() as browser:
        yield browser


@pytest.fixture
def client(services: Services) -> Iterator[TestClient]:
    with TestClient(create_app(services)) as test_client:
        yield test_client


# The organisation of the executor's account ``auth("executor")`` makes.
EXECUTORS_ORGANISATION = "ДГХ"


@pytest.fixture
def browser(services: Services) -> Iterator[TestClient]:
    """The app as a browser without JavaScript uses it, whose redirects are read, not followed."""
    with TestClient(create_app(services)) as test_client:
        test_client.follow_redirects = False
        yield test_client


@pytest.fixture
def auth(services: Services) -> Callable[..., dict[str, str]]:
    """Headers carrying a fresh token of the given role, issued for the channels given (an
    intake token given none is issued for VK's), held by the test's account of that role (an
    executor's of ``organisation``, by default EXECUTORS_ORGANISATION)."""

    def headers(role: str, *channels: str, organisation: str = EXECUTORS_ORGANISATION) -> dict[str, str]:
        if role == "intake" and not channels:
            channels = ("vk",)
        login = f"test-{role}" if role != "executor" else f"test-executor-{organisation}"
        try:
            account = services.accounts.by_login(login)
        except AccountError:
            held = organisation if role == "executor" else None
            account = services.accounts.open(login=login, name=f"test-{role}", role=role, organisation=held).account
        token = services.access.issue_token(role=role, name=f"test-{role}", channels=channels, account=account)
        return {"Authorization": f"Bearer {token}"}

    return headers


@pytest.fixture
def person(client: TestClient, services: Services) -> Callable[..., dict[str, str]]:
    """Headers of a person of the given role logged in to the console (an executor of
    ``organisation``): their session's cookie and its CSRF token; one session per role."""
    from tests.support.console_login import logged_in

    sessions: dict[tuple[str, str | None], dict[str, str]] = {}

    def headers(role: str, *, organisation: str = EXECUTORS_ORGANISATION) -> dict[str, str]:
        held = organisation if role == "executor" else None
        if (role, held) not in sessions:
            sessions[(role, held)] = logged_in(client, services, role, organisation=held)
        return sessions[(role, held)]

    return headers
