"""PostgreSQL goes away during work: requests get 503 while it is down, then the service recovers
by itself, and nothing accepted before the outage is lost.

The library retries a failing statement for a few seconds before giving up, so a brief blip
costs latency, not errors; this outage lasts longer than that.
"""

import time
from collections.abc import Iterator
from datetime import timedelta

import pytest
from litestar.testing import TestClient

from adapters.clock import ManualClock
from adapters.config import Settings
from interfaces.bootstrap import Services, bootstrap
from interfaces.http.app import create_app
from tests.support.tcp_proxy import TcpProxy


@pytest.fixture
def proxy(postgres_settings: Settings) -> Iterator[TcpProxy]:
    tcp = TcpProxy(postgres_settings.postgres_host, postgres_settings.postgres_port)
    tcp.start()
    yield tcp
    tcp.cut()


@pytest.fixture
def through_proxy(postgres_settings: Settings, proxy: TcpProxy, clock: ManualClock) -> Iterator[Services]:
    settings = postgres_settings.model_copy(update={"postgres_port": proxy.port, "postgres_connect_timeout": 1})
    services = bootstrap(settings, clock=clock)
    yield services
    services.close()


def _post(client: TestClient, headers: dict[str, str], clock: ManualClock, n: int):
    return client.post(
        "/api/v1/complaints",
        headers=headers,
        json={
            "channel": "telegram",
            "source_ref": f"chat/{n}",
            "author_ref": f"tg:{n}",
            "text": "Не убран снег во дворе, Ленина 99",
            "received_at": (clock.now() - timedelta(minutes=1)).isoformat(),
        },
    )


def test_requests_fail_with_503_while_the_store_is_down_and_recover(
    through_proxy: Services, proxy: TcpProxy, clock: ManualClock
) -> None:
    token = through_proxy.access.issue_token(role="intake", name="tg", channels=["telegram"])
    headers = {"Authorization": f"Bearer {token}"}
    with TestClient(create_app(through_proxy), timeout=30) as client:
        assert _post(client, headers, clock, 1).status_code == 201

        proxy.cut()
        down = _post(client, headers, clock, 2)
        assert down.status_code == 503, down.text
        assert down.headers["retry-after"] == "1"
        assert "unavailable" in down.json()["detail"]
        asked = time.monotonic()
        assert client.get("/health").status_code == 503
        assert time.monotonic() - asked < 3  # a load balancer is told within its own wait, not the driver's retries

        proxy.start()
        deadline = time.monotonic() + 20
        while (again := _post(client, headers, clock, 2)).status_code != 201:
            assert again.status_code == 503 and time.monotonic() < deadline, again.text
            time.sleep(0.2)
        assert _post(client, headers, clock, 1).status_code == 200  # accepted before the outage, still there
        # Up again once the views follow the store again: each retries within a few seconds.
        deadline = time.monotonic() + 15
        while client.get("/health").status_code != 200:
            assert time.monotonic() < deadline, "the service stayed down after the store came back"
            time.sleep(0.2)
