"""An open queue's refresh sends the rows it shows by name (hx-headers); while they would be
rendered the same, the answer is 204 and htmx keeps them, and any change to them (a move on a
complaint, a new one on the page, a clock passing its target) brings them anew. On SQLite and
PostgreSQL."""

import json
import re
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from litestar.testing import TestClient

from adapters.clock import ManualClock
from adapters.config import Settings
from interfaces.bootstrap import Services, bootstrap
from interfaces.http.app import create_app
from interfaces.web.queue import ROWS_SHOWN
from tests.integration.web.console import assign, register, staff


@pytest.fixture
def queue_services(durable_settings: Settings, clock: ManualClock) -> Iterator[Services]:
    built = bootstrap(durable_settings, clock=clock)
    yield built
    built.close()


@pytest.fixture
def queue_client(queue_services: Services) -> Iterator[TestClient]:
    with TestClient(create_app(queue_services)) as test_client:
        yield test_client


def _shown(rows: str) -> dict[str, str]:
    found = re.search(r"hx-headers='([^']*)'", rows)
    assert found, rows
    return json.loads(found.group(1))


def test_unchanged_rows_are_kept_and_changed_ones_come_anew(
    queue_client: TestClient, queue_services: Services, clock: ManualClock
) -> None:
    operator = staff(queue_client, queue_services, "operator")
    first = register(queue_client, operator, "call/1", received=clock.now() - timedelta(minutes=30), category="roads")
    refresh = {**operator, "HX-Request": "true"}

    rows = queue_client.get("/queue", headers=refresh)
    assert rows.status_code == 200 and first in rows.text
    shown = _shown(rows.text)
    assert list(shown) == [ROWS_SHOWN]

    unchanged = queue_client.get("/queue", headers={**refresh, **shown})
    assert unchanged.status_code == 204 and unchanged.content == b""
    assert unchanged.headers["cache-control"] == "no-store"

    # A page opened by a person reads afresh, and the refreshes after it share that reading.
    def after_a_change() -> dict[str, str]:
        assert queue_client.get("/queue", headers=operator).status_code == 200
        again = queue_client.get("/queue", headers={**refresh, **shown})
        assert again.status_code == 200, "the rows changed, yet the refresh kept the old ones"
        assert queue_client.get("/queue", headers={**refresh, **_shown(again.text)}).status_code == 204
        return _shown(again.text)

    assign(queue_client, operator, first, "ДГХ")
    shown = after_a_change()
    second = register(queue_client, operator, "call/2", received=clock.now() - timedelta(minutes=5), category="roads")
    shown = after_a_change()
    clock.advance(timedelta(hours=2))  # no event: the first one's clock passes its 2-hour target
    shown = after_a_change()
    assert second

    # Another queue's rows are not these.
    other = queue_client.get("/queue", params={"category": "waste"}, headers={**refresh, **shown})
    assert other.status_code == 200 and first not in other.text


def test_refreshes_arriving_while_a_reading_is_under_way_join_it(
    queue_client: TestClient, queue_services: Services, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    operator = staff(queue_client, queue_services, "operator")
    register(queue_client, operator, "call/1", received=clock.now() - timedelta(minutes=30), category="roads")
    read = queue_services.read_models.complaints
    asked: list[object] = []
    released = threading.Event()

    def slow(query: object) -> object:  # a view catching up with a burst
        asked.append(query)
        released.wait(timeout=30)
        return read(query)  # type: ignore[arg-type]

    monkeypatch.setattr(queue_services.read_models, "complaints", slow)
    refresh = {**operator, "HX-Request": "true"}
    with ThreadPoolExecutor(4) as pool:
        answers = [pool.submit(queue_client.get, "/queue", headers=refresh) for _ in range(4)]
        while not asked:
            time.sleep(0.01)
        time.sleep(1)  # the other refreshes arrive while the first reading waits
        released.set()
        statuses = [answer.result().status_code for answer in answers]
    assert statuses == [200] * 4 and len(asked) == 1
