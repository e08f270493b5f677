"""A real `mcu serve` killed (-9) in the middle of a burst of VK callbacks: every post it
answered `ok` for is taken after the restart, from the intake outbox, with nothing polling."""

import asyncio
import os
import signal
import sqlite3
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from domain.complaint import Complaint
from interfaces.complaint_service import complaint_id_key
from tests.support.server import free_port, issue_token, serving

COMMUNITY, SECRET, BURST = 77001, "e2e-vk-secret", 400
AUDIT_KEY = b"e2e-audit-key"
TAKEN = {"assigned", "clarification_requested"}
TEXTS = ["Не вывозят мусор во дворе дома на Королёва 10", "Опять нет горячей воды, сколько можно терпеть"]


def _callback(number: int, published: datetime) -> dict:
    post = {
        "id": 1_000 + number,
        "owner_id": -COMMUNITY,
        "from_id": 20_000 + number,
        "date": int(published.timestamp()),
        "text": TEXTS[number % len(TEXTS)],
        "post_type": "post",
    }
    return {"type": "wall_post_new", "group_id": COMMUNITY, "event_id": f"e{number}", "v": "5.199",
            "secret": SECRET, "object": post}  # fmt: skip


async def _burst(url: str, events: list[dict]) -> list[int]:
    async with httpx.AsyncClient(timeout=30, limits=httpx.Limits(max_connections=20)) as client:
        answers = await asyncio.gather(*(client.post(url, json=event) for event in events))
    return [answer.status_code for answer in answers]


def _outbox(database: Path) -> tuple[int, int]:
    """Posts received and posts taken, as the intake store holds them."""
    with sqlite3.connect(database) as conn:
        received, taken = (
            conn.execute(
                "SELECT count(*) FROM intake_events WHERE topic LIKE ?", (f"%ReceivedPost.{kind}",)
            ).fetchone()[0]
            for kind in ("Received", "Taken")
        )
    return received, taken


def test_posts_answered_before_a_kill_are_taken_after_the_restart(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "MCU_STORE": "sqlite",
        "MCU_DATA_DIR": str(tmp_path / "var"),
        "MCU_AUDIT_KEY": AUDIT_KEY.decode(),
        "MCU_VK_API_URL": "http://127.0.0.1:9",  # nothing polls: no wall is configured
        "MCU_VK_SERVICE_TOKEN": "vk-service",
        "MCU_VK_COMMUNITY_ID": str(COMMUNITY),
        "MCU_VK_CALLBACK_SECRET": SECRET,
        "MCU_INTAKE_LEASE_SECONDS": "1",
        # The burst comes from one address; the webhooks' rate limit is tested on its own.
        "MCU_RATE_LIMIT_HOOKS_PER_MINUTE": "0",
    }
    token = issue_token(tmp_path, env, role="supervisor", name="e2e")
    port = free_port()
    published = datetime.now(UTC) - timedelta(minutes=30)
    events = [_callback(number, published) for number in range(BURST)]

    with serving(tmp_path, env, port) as (base, process):
        assert asyncio.run(_burst(f"{base}/hooks/vk", events)) == [200] * BURST
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    received, taken = _outbox(tmp_path / "var" / "mcu.sqlite3")
    assert received == BURST
    assert taken < BURST, "the kill came after every post was taken; the test proves nothing"

    refs = [f"wall{-COMMUNITY}_{event['object']['id']}" for event in events]
    with (
        serving(tmp_path, env, port) as (base, _),
        httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}) as api,
    ):
        deadline = time.monotonic() + 120
        while (untaken := [ref for ref in refs if _status(api, ref) not in TAKEN]) and time.monotonic() < deadline:
            time.sleep(1)
        assert untaken == []
    assert _outbox(tmp_path / "var" / "mcu.sqlite3") == (BURST, BURST)  # each taken once


def _status(api: httpx.Client, ref: str) -> str | None:
    answer = api.get(f"/api/v1/complaints/{Complaint.create_id('vk', ref, key=complaint_id_key(AUDIT_KEY))}")
    return answer.json()["status"] if answer.status_code == 200 else None
