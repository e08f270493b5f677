"""Registration over HTTP against the bare libraries it is built on, measured in one run.

    .venv/bin/python bench/http_registration.py [--requests 3000] [--connections 50] [--store sqlite|postgres]

Prints, for one `mcu serve` worker: registrations/s and latency percentiles at N concurrent
connections; the same load against a bare Litestar endpoint doing no work; and the rate of
the bare eventsourcing library saving the same aggregates one per transaction in a loop.
The ratios are the figures to compare across machines. Loopback only; bounded by --requests.
"""

import argparse
import asyncio
import statistics
import sys
import tempfile
import textwrap
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import uuid4

import aiohttp
from service import free_port, issue_token, running_mcu, serve, store_environment

ROOT = Path(__file__).resolve().parents[1]
TEXT = "Во дворе дома Королёва 10 третий день не вывозят мусор, контейнеры переполнены"

BARE_LITESTAR = textwrap.dedent("""
    from litestar import Litestar, post

    @post("/api/v1/complaints", status_code=201, sync_to_thread=False)
    def register(data: dict) -> dict:
        return data

    app = Litestar([register])
""")


def body(n: int) -> dict:
    received = (datetime.now(UTC) - timedelta(minutes=5)).isoformat()
    return {
        "channel": "vk",
        "source_ref": f"wall-1_{n}-{uuid4().hex[:8]}",
        "author_ref": f"vk:{n}",
        "text": TEXT,
        "received_at": received,
    }


async def load(url: str, headers: dict, requests: int, connections: int) -> tuple[float, list[float], int]:
    latencies: list[float] = []
    failures = 0
    queue: asyncio.Queue[int] = asyncio.Queue()
    for n in range(requests):
        queue.put_nowait(n)
    # aiohttp, not httpx: httpx's async pool caps near 200 req/s here and would measure itself.
    connector = aiohttp.TCPConnector(limit=connections)
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout, headers=headers) as client:

        async def worker() -> None:
            nonlocal failures
            while not queue.empty():
                n = queue.get_nowait()
                started = time.perf_counter()
                async with client.post(url, json=body(n)) as response:
                    await response.read()
                    failures += response.status != 201
                latencies.append(time.perf_counter() - started)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(connections)))
        elapsed = time.perf_counter() - started
    return requests / elapsed, latencies, failures


def percentile(values: list[float], p: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1] * 1000


def bare_library_rate(store_env: dict, requests: int) -> float:
    sys.path.insert(0, str(ROOT))
    from eventsourcing.application import Application

    from domain.complaint import Complaint
    from domain.reaction import ReactionPolicy

    app = Application(env=store_env)
    policy, now = ReactionPolicy(), datetime.now(UTC)
    started = time.perf_counter()
    for n in range(requests):
        app.save(
            Complaint.register(
                channel="vk",
                source_ref=f"bare-{n}-{uuid4().hex[:8]}",
                author_ref=f"vk:{n}",
                text=TEXT,
                received_at=now,
                policy=policy,
                actor="bench",
                at=now,
            )
        )
    elapsed = time.perf_counter() - started
    app.close()
    return requests / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--store", choices=["sqlite", "postgres"], default="sqlite")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp, store_environment(args.store, Path(tmp)) as env:
        workdir = Path(tmp)
        headers = {"Authorization": f"Bearer {issue_token(env, workdir, 'intake')}"}
        with running_mcu(env, workdir) as base:
            url = f"{base}/api/v1/complaints"
            asyncio.run(load(url, headers, min(200, args.requests), args.connections))  # warm-up
            ours, latencies, failures = asyncio.run(load(url, headers, args.requests, args.connections))

        (workdir / "bare_litestar.py").write_text(BARE_LITESTAR)
        port = free_port()
        bare = serve(
            [sys.executable, "-m", "uvicorn", "bare_litestar:app", "--port", str(port), "--log-level", "warning"],
            env,
            workdir,
            f"http://127.0.0.1:{port}/",
        )
        try:
            url = f"http://127.0.0.1:{port}/api/v1/complaints"
            asyncio.run(load(url, {}, min(200, args.requests), args.connections))
            bare_http, bare_latencies, _ = asyncio.run(load(url, {}, args.requests, args.connections))
        finally:
            bare.terminate()
            bare.wait(timeout=10)

        store_env = (
            {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(workdir / "bare.sqlite3")}
            if args.store == "sqlite"
            else {
                "PERSISTENCE_MODULE": "eventsourcing.postgres",
                "POSTGRES_DBNAME": env["MCU_POSTGRES_DBNAME"],
                "POSTGRES_HOST": "127.0.0.1",
                "POSTGRES_PORT": "5432",
                "POSTGRES_USER": "postgres",
                "POSTGRES_PASSWORD": "",
                "POSTGRES_SCHEMA": env["MCU_POSTGRES_SCHEMA"],
            }
        )
        library = bare_library_rate(store_env, args.requests)

    print(f"store: {args.store}, requests: {args.requests}, connections: {args.connections}, one worker")
    print(
        f"mcu registration over HTTP : {ours:8.0f} req/s  p50 {percentile(latencies, 50):6.1f} ms"
        f"  p99 {percentile(latencies, 99):6.1f} ms  non-201: {failures}"
    )
    print(
        f"bare Litestar, no work     : {bare_http:8.0f} req/s  p50 {percentile(bare_latencies, 50):6.1f} ms"
        f"  p99 {percentile(bare_latencies, 99):6.1f} ms"
    )
    print(f"bare eventsourcing save    : {library:8.0f} aggregates/s (one per transaction)")
    print(f"ratio to the bare library  : {ours / library:.2f}x")
    print(f"ratio to bare Litestar     : {ours / bare_http:.2f}x")


if __name__ == "__main__":
    main()
