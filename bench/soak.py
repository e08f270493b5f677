"""A sustained load of mixed traffic against a running `mcu serve`, with error rate and latency.

    .venv/bin/python bench/soak.py [--seconds 180] [--connections 20] [--store sqlite|postgres] [--workers 1]

Starts the service on a fresh store (loopback only), then for the given time keeps the
connections busy with the centre's day: registrations (50%), reading a complaint (25%),
an operator's command (15%) and queue queries (10%). Prints requests/s, the share of errors
and p50/p99 per kind. Bounded by --seconds.
"""

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import uuid4

import aiohttp
import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from service import issue_token, running_mcu, store_environment  # noqa: E402

TEXTS = [
    "Не вывозят мусор во дворе дома Королёва 10",
    "Яма на дороге на Стачки 200",
    "Нет горячей воды, Космонавтов 27",
    "Не горит фонарь у дома Беляева 22",
]


async def soak(base: str, token: str, seconds: float, connections: int) -> dict[str, list[tuple[float, int]]]:
    results: dict[str, list[tuple[float, int]]] = defaultdict(list)
    known: list[str] = []
    headers = {"Authorization": f"Bearer {token}"}
    deadline = time.monotonic() + seconds
    async with aiohttp.ClientSession(
        headers=headers, connector=aiohttp.TCPConnector(limit=connections), timeout=aiohttp.ClientTimeout(total=30)
    ) as client:

        async def one(kind: str, method: str, url: str, body: dict | None = None) -> aiohttp.ClientResponse | None:
            started = time.perf_counter()
            try:
                async with client.request(method, url, json=body) as response:
                    payload = await response.json(content_type=None)
                    results[kind].append((time.perf_counter() - started, response.status))
                    return payload
            except (TimeoutError, aiohttp.ClientError):
                results[kind].append((time.perf_counter() - started, 0))
                return None

        async def user() -> None:
            rng = random.Random()
            while time.monotonic() < deadline:
                roll = rng.random()
                if roll < 0.5 or not known:
                    body = {
                        "channel": rng.choice(["phone", "web"]),
                        "source_ref": uuid4().hex,
                        "author_ref": f"phone:{rng.randrange(5000)}",
                        "text": rng.choice(TEXTS),
                        "received_at": (datetime.now(UTC) - timedelta(minutes=rng.randrange(300))).isoformat(),
                    }
                    created = await one("register", "POST", f"{base}/api/v1/complaints", body)
                    if isinstance(created, dict) and "id" in created:
                        known.append(created["id"])
                elif roll < 0.75:
                    await one("read", "GET", f"{base}/api/v1/complaints/{rng.choice(known)}")
                elif roll < 0.9:
                    await one(
                        "command",
                        "POST",
                        f"{base}/api/v1/complaints/{rng.choice(known)}/assignment",
                        {"organisation": rng.choice(["ДГХ", "Водоканал", "УК Северная"])},
                    )
                else:
                    await one("queue", "GET", f"{base}/api/v1/complaints?clock=overdue&limit=50")

        await asyncio.gather(*(user() for _ in range(connections)))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=180)
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--store", choices=["sqlite", "postgres"], default="sqlite")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, store_environment(args.store, Path(tmp)) as env:
        token = issue_token(Path(tmp), env, role="supervisor", name="bench")
        with running_mcu(env, Path(tmp), workers=args.workers) as base:
            results = asyncio.run(soak(base, token, args.seconds, args.connections))
            health = httpx.get(f"{base}/health/details", headers={"Authorization": f"Bearer {token}"}).json()
    total = sum(len(v) for v in results.values())
    errors = sum(1 for v in results.values() for _, status in v if status == 0 or status >= 500)
    print(f"store: {args.store}, workers: {args.workers}, connections: {args.connections}, {args.seconds:.0f} s")
    print(
        f"requests: {total}  ({total / args.seconds:.0f}/s)  server errors or failures: {errors} "
        f"({errors / max(total, 1):.3%})"
    )
    for kind, samples in sorted(results.items()):
        latencies = sorted(s for s, _ in samples)
        q = statistics.quantiles(latencies, n=100, method="inclusive") if len(latencies) > 1 else [0] * 99
        statuses = defaultdict(int)
        for _, status in samples:
            statuses[status] += 1
        print(
            f"  {kind:<9} {len(samples):7d}  p50 {q[49] * 1000:7.1f} ms  p99 {q[98] * 1000:7.1f} ms  "
            f"statuses {dict(sorted(statuses.items()))}"
        )
    print(f"health at the end: {health}")


if __name__ == "__main__":
    main()
