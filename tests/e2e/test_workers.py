"""Several `mcu serve` workers on one PostgreSQL: races between workers and a worker killed
with SIGKILL under load. Every accepted complaint is there afterwards; no update is lost."""

import os
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import UUID

import httpx
import pytest

from adapters.config import Settings
from interfaces.bootstrap import bootstrap
from tests.support.server import free_port, issue_token, serving


def _environment(settings: Settings, tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "MCU_STORE": "postgres",
        "MCU_POSTGRES_HOST": settings.postgres_host,
        "MCU_POSTGRES_PORT": str(settings.postgres_port),
        "MCU_POSTGRES_DBNAME": settings.postgres_dbname,
        "MCU_POSTGRES_USER": settings.postgres_user,
        "MCU_POSTGRES_SCHEMA": settings.postgres_schema,
        "MCU_AUDIT_KEY": settings.audit_key.get_secret_value(),
        "MCU_DATA_DIR": str(tmp_path / "var"),
        "MCU_EMBEDDED_PROJECTIONS": "false",
    }


@pytest.fixture
def cluster(postgres_settings: Settings, tmp_path: Path) -> Iterator[tuple[str, dict[str, str], subprocess.Popen]]:
    env = _environment(postgres_settings, tmp_path)
    token = issue_token(tmp_path, env, role="supervisor", name="load")
    with serving(tmp_path, env, free_port(), "--workers", "2") as (base, server):
        yield base, {"Authorization": f"Bearer {token}"}, server


# One moment for every post of the module: a post sent again is the same post, moment and all.
POSTED = datetime.now(UTC) - timedelta(minutes=5)


def _body(ref: str) -> dict[str, str]:
    return {
        "channel": "phone",
        "source_ref": ref,
        "author_ref": "vk:id1",
        "text": "Яма на Шолохова 31",
        "received_at": POSTED.isoformat(),
    }


def test_registrations_of_one_post_from_many_clients_make_one_complaint(cluster) -> None:
    base, headers, _ = cluster
    with ThreadPoolExecutor(12) as pool:
        answers = list(
            pool.map(
                lambda _: httpx.post(
                    f"{base}/api/v1/complaints", headers=headers, json=_body("wall-1_777"), timeout=30
                ),
                range(24),
            )
        )
    assert sorted(a.status_code for a in answers) == [200] * 23 + [201]
    assert len({a.json()["id"] for a in answers}) == 1


def test_conflicting_commands_from_many_clients_lose_no_update(cluster) -> None:
    base, headers, _ = cluster
    # The set-up's registration is repeated after a 503, as docs/operations.md tells clients to. Once,
    # in CI, it came back without a Location (status unrecorded, not reproduced since); the
    # assertion below shows the answer if it happens again.
    for _ in range(5):
        registered = httpx.post(f"{base}/api/v1/complaints", headers=headers, json=_body("wall-1_900"), timeout=30)
        if registered.status_code != 503:
            break
        time.sleep(1)
    assert registered.status_code == 201, registered.text
    url = registered.headers["location"]

    def assign(n: int) -> int:
        return httpx.post(
            f"{base}{url}/assignment",
            json={"organisation": f"Организация {n}"},
            headers={**headers, "If-Match": '"1"'},
            timeout=30,
        ).status_code

    with ThreadPoolExecutor(10) as pool:
        codes = list(pool.map(assign, range(10)))
    assert codes.count(200) == 1 and set(codes) <= {200, 409, 412}
    history = httpx.get(f"{base}{url}/history", headers=headers).json()
    assert [h["type"] for h in history] == ["Registered", "Assigned"]


def test_a_worker_killed_under_load_loses_no_accepted_complaint(cluster, postgres_settings: Settings) -> None:
    base, headers, server = cluster
    accepted: list[UUID] = []
    refused: list[int] = []
    stop = threading.Event()

    def load(worker: int) -> None:
        with httpx.Client(timeout=30, headers=headers) as client:
            n = 0
            while not stop.is_set() and n < 150:
                n += 1
                try:
                    answer = client.post(f"{base}/api/v1/complaints", json=_body(f"load-{worker}-{n}"))
                except httpx.TransportError:
                    continue  # the killed worker's connections: the client may repeat, nothing was promised
                if answer.status_code in (200, 201):
                    accepted.append(UUID(answer.json()["id"]))
                else:
                    refused.append(answer.status_code)

    threads = [threading.Thread(target=load, args=(w,)) for w in range(6)]
    for thread in threads:
        thread.start()
    time.sleep(1.0)
    workers = subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True, text=True).stdout.split()
    assert workers, "no worker processes found"
    os.kill(int(workers[0]), signal.SIGKILL)
    for thread in threads:
        thread.join(timeout=120)
    stop.set()

    assert len(accepted) > 100 and set(refused) <= {503}
    services = bootstrap(postgres_settings)
    try:
        missing = [complaint_id for complaint_id in accepted if complaint_id not in services.complaints.repository]
    finally:
        services.close()
    assert missing == []
