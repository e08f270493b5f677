"""A real `mcu serve` process on the embedded store: what it accepted survives a kill -9."""

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

MCU = Path(sys.executable).with_name("mcu")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serving(workdir: Path, port: int) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    env = {**os.environ, "MCU_STORE": "sqlite", "MCU_DATA_DIR": str(workdir / "var"), "MCU_PORT": str(port)}
    process = subprocess.Popen(
        [str(MCU), "serve"], cwd=workdir, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
            assert time.monotonic() < deadline, "mcu serve did not become healthy in 20 s"
            time.sleep(0.1)
        yield base, process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)


def test_a_lifecycle_survives_a_kill_and_restart(tmp_path: Path) -> None:
    env = {**os.environ, "MCU_STORE": "sqlite", "MCU_DATA_DIR": str(tmp_path / "var")}
    token = subprocess.run(
        [str(MCU), "token", "issue", "--role", "operator", "--name", "e2e"],
        cwd=tmp_path,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    headers = {"Authorization": f"Bearer {token}"}
    port = _free_port()
    received = (datetime.now(UTC) - timedelta(minutes=30)).isoformat()

    with serving(tmp_path, port) as (base, process):
        api = f"{base}/api/v1/complaints"
        created = httpx.post(
            api,
            headers=headers,
            json={
                "channel": "gosuslugi",
                "source_ref": "POS-2026-0009876",
                "author_ref": "esia:42",
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

    with serving(tmp_path, port) as (base, _):
        after = httpx.get(url, headers=headers).json()
        history_after = httpx.get(f"{url}/history", headers=headers).json()

    assert before["status"] == "resolved"
    # Only the reading of a running clock may differ; this one stopped at the response.
    assert after == before
    assert history_after == history_before
    assert [event["type"] for event in history_after] == ["Registered", "Assigned", "Responded", "Resolved"]
