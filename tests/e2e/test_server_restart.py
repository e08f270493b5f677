"""A real `mcu serve` process on the embedded store: what it accepted survives a kill -9."""

import os
import signal
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from tests.support.server import free_port, issue_token, serving


def test_a_lifecycle_survives_a_kill_and_restart(tmp_path: Path) -> None:
    env = {**os.environ, "MCU_STORE": "sqlite", "MCU_DATA_DIR": str(tmp_path / "var")}
    token = issue_token(tmp_path, env, role="operator", name="e2e")
    headers = {"Authorization": f"Bearer {token}"}
    port = free_port()
    received = (datetime.now(UTC) - timedelta(minutes=30)).isoformat()

    with serving(tmp_path, env, port) as (base, process):
        api = f"{base}/api/v1/complaints"
        created = httpx.post(
            api,
            headers=headers,
            json={
                "channel": "phone",
                "source_ref": "call/2026-0009876",
                "author_ref": "phone:42",
                "text": "Прошу отремонтировать освещение во дворе дома Беляева 22",
                "address": "улица Беляева, 22",
                "received_at": received,
            },
        )
        assert created.status_code == 201, created.text
        url = f"{base}{created.headers['location']}"
        for path, body in [
            ("assignment", {"organisation": "Администрация Ворошиловского района"}),
            ("response", {"text": "Обращение передано в администрацию района"}),
            ("resolution", {"text": "Освещение восстановлено"}),
        ]:
            assert httpx.post(f"{url}/{path}", headers=headers, json=body).status_code == 200
        before = httpx.get(url, headers=headers).json()
        history_before = httpx.get(f"{url}/history", headers=headers).json()
        process.send_signal(signal.SIGKILL)

    with serving(tmp_path, env, port) as (base, _):
        after = httpx.get(url, headers=headers).json()
        history_after = httpx.get(f"{url}/history", headers=headers).json()

    assert before["status"] == "resolved"
    # Only the reading of a running clock may differ; this one stopped at the response.
    assert after == before
    assert history_after == history_before
    assert [event["type"] for event in history_after] == ["Registered", "Assigned", "Responded", "Resolved"]
