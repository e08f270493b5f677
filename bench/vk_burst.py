"""A burst of webhook deliveries against a real `mcu serve`, then how many posts were fully taken.

    .venv/bin/python bench/vk_burst.py [--callbacks 300] [--telegram 0] [--clients 30] [--store sqlite|postgres]

Starts the service on a fresh store (loopback only) with VK pointed at the fake in tests/fakes
and no wall polled, so nothing but the webhooks brings the posts. Sends --callbacks VK
`wall_post_new` events (half with an address, half without) from --clients concurrent clients
and, at the same time, --telegram Telegram updates from as many more, and prints the answers'
status codes. Then waits
(at most --wait seconds) and counts the complaints fully taken: routed (assigned) or with the
author asked for the address (clarification_requested); "registered only" are the half-taken.
"""

import argparse
import asyncio
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable
from pathlib import Path
from typing import TypeVar

import aiohttp
import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
from service import AUDIT_KEY, issue_token, running_mcu, store_environment  # noqa: E402

from domain.complaint import Complaint  # noqa: E402
from interfaces.complaint_service import complaint_id_key  # noqa: E402
from tests.fakes.http import FakeServer  # noqa: E402
from tests.fakes.schemas import vk_schema  # noqa: E402
from tests.fakes.vk import FakeVk  # noqa: E402

COMMUNITY, VK_SECRET, TG_SECRET = 77001, "bench-vk-secret", "bench-tg-secret"
CHAT = -1001234567890
T = TypeVar("T")
TAKEN = {"assigned": "routed", "clarification_requested": "clarification requested"}
TEXTS = [
    "Не вывозят мусор во дворе дома на Королёва 10, третий день",
    "Огромная яма на дороге на проспекте Стачки 200",
    "Не горит фонарь у дома Беляева 22, вечером темно",
    "Опять нет горячей воды, сколько можно терпеть",
    "Во дворе не вывозят мусор уже неделю",
    "На дороге яма, машины бьют колёса",
]


def vk_events(fake: FakeVk, count: int) -> list[tuple[str, dict]]:
    events = []
    for number in range(count):
        post = fake.add_post(owner_id=-COMMUNITY, from_id=10_000 + number, text=TEXTS[number % len(TEXTS)])
        events.append((f"wall{-COMMUNITY}_{post['id']}", fake.callback("wall_post_new", post, secret=VK_SECRET)))
    return events


def telegram_updates(count: int, date: int) -> list[tuple[str, dict]]:
    updates = []
    for number in range(count):
        message = {
            "message_id": 1_000 + number,
            "date": date,
            "chat": {"id": CHAT, "type": "supergroup", "title": "Обсуждение новостей Ростова"},
            "from": {"id": 50_000 + number, "is_bot": False, "first_name": "Житель"},
            "text": TEXTS[number % len(TEXTS)],
        }
        updates.append((f"{CHAT}/{message['message_id']}", {"update_id": 90_000 + number, "message": message}))
    return updates


async def deliver(url: str, bodies: list[dict], clients: int, headers: dict[str, str]) -> tuple[Counter, float]:
    statuses: Counter = Counter()
    queue: asyncio.Queue[dict] = asyncio.Queue()
    for body in bodies:
        queue.put_nowait(body)
    async with aiohttp.ClientSession(
        headers=headers, connector=aiohttp.TCPConnector(limit=clients), timeout=aiohttp.ClientTimeout(total=60)
    ) as session:

        async def client() -> None:
            while not queue.empty():
                body = queue.get_nowait()
                try:
                    async with session.post(url, json=body) as response:
                        await response.read()
                        statuses[response.status] += 1
                except (TimeoutError, aiohttp.ClientError):
                    statuses["no answer"] += 1

        started = time.perf_counter()
        await asyncio.gather(*(client() for _ in range(clients)))
    return statuses, time.perf_counter() - started


async def both(first: Awaitable[T], second: Awaitable[T]) -> tuple[T, T]:
    return await asyncio.gather(first, second)


def states(base: str, token: str, channel: str, refs: list[str]) -> Counter:
    found: Counter = Counter()
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=30) as api:
        for ref in refs:
            answer = api.get(f"/api/v1/complaints/{Complaint.create_id(channel, ref, key=complaint_id_key(AUDIT_KEY))}")
            found[answer.json()["status"] if answer.status_code == 200 else "not registered"] += 1
    return found


def settle(base: str, token: str, batches: list[tuple[str, list[str]]], wait: float) -> tuple[list[Counter], float]:
    """Each batch's states once every post is taken, or when --wait runs out."""
    started = time.monotonic()
    while True:
        counts = [states(base, token, channel, refs) for channel, refs in batches]
        if all(sum(count[s] for s in TAKEN) == len(refs) for count, (_, refs) in zip(counts, batches, strict=True)):
            return counts, time.monotonic() - started
        if time.monotonic() - started > wait:
            return counts, time.monotonic() - started
        time.sleep(2)


def report(name: str, sent: int, statuses: Counter, seconds: float, found: Counter) -> None:
    taken = sum(found[s] for s in TAKEN)
    answered = ", ".join(f"{status}: {n}" for status, n in sorted(statuses.items(), key=str))
    print(f"{name}: {sent} sent in {seconds:.1f} s ({sent / seconds:.0f}/s); answers {answered}")
    detail = ", ".join(f"{TAKEN.get(s, s)}: {n}" for s, n in sorted(found.items()))
    print(f"  fully taken {taken} of {sent} ({detail})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--callbacks", type=int, default=300)
    parser.add_argument("--telegram", type=int, default=0)
    parser.add_argument("--clients", type=int, default=30)
    parser.add_argument("--store", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--wait", type=float, default=180.0, help="seconds to wait for the posts to be taken")
    args = parser.parse_args()

    fake = FakeVk(
        schema=vk_schema(), service_token="vk-service", community_token="vk-community", community_id=COMMUNITY
    )
    fake.now = int(time.time()) - 60 * (args.callbacks + 1)  # each post a minute after the last, none ahead
    with tempfile.TemporaryDirectory() as tmp, FakeServer(fake.handle) as vk_server:
        workdir = Path(tmp)
        with store_environment(args.store, workdir) as env:
            env.update(
                MCU_VK_API_URL=vk_server.url,
                MCU_VK_SERVICE_TOKEN="vk-service",
                MCU_VK_COMMUNITY_TOKEN="vk-community",
                MCU_VK_COMMUNITY_ID=str(COMMUNITY),
                MCU_VK_CALLBACK_SECRET=VK_SECRET,
                MCU_VK_CONFIRMATION_CODE="bench",
                MCU_TELEGRAM_WEBHOOK_SECRET=TG_SECRET,
                # Intake alone, as in the figures before replies ran inside `mcu serve` by default.
                MCU_REPLIES_EMBEDDED="false",
            )
            token = issue_token(workdir, env, role="supervisor", name="bench")
            vk = vk_events(fake, args.callbacks)
            telegram = telegram_updates(args.telegram, int(time.time()) - 600)
            with running_mcu(env, workdir, workers=args.workers) as base:
                vk_delivered, tg_delivered = asyncio.run(
                    both(
                        deliver(f"{base}/hooks/vk", [event for _, event in vk], args.clients, {}),
                        deliver(
                            f"{base}/hooks/telegram",
                            [update for _, update in telegram],
                            args.clients,
                            {"X-Telegram-Bot-Api-Secret-Token": TG_SECRET},
                        ),
                    )
                )
                batches = [("vk", [ref for ref, _ in vk]), ("telegram", [ref for ref, _ in telegram])]
                (vk_found, tg_found), waited = settle(base, token, batches, args.wait)
    print(f"store {args.store}, {args.workers} worker(s), {args.clients} concurrent clients")
    report("VK callbacks", len(vk), *vk_delivered, vk_found)
    if telegram:
        report("Telegram updates", len(telegram), *tg_delivered, tg_found)
    print(f"waited {waited:.0f} s after the burst for the posts to be taken")


if __name__ == "__main__":
    main()
