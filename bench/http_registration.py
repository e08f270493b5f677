"""Registration over HTTP against the bare libraries it is built on, measured in one run.

    .venv/bin/python bench/http_registration.py [--seconds 10] [--connections 50] [--store sqlite|postgres]

Prints, for one `mcu serve` worker: registrations/s and latency percentiles at N concurrent
connections; the same load against a bare Litestar endpoint doing no work; and the rate of
the bare eventsourcing library saving the same aggregates one per transaction in a loop.
The ratios are the figures to compare across machines. Loopback only; bounded in time.

The load comes from wrk (Debian's package) where it is installed: a Python client on a
two-core machine spends as much CPU as the server and would measure itself. Without wrk,
an aiohttp client is used and the output says so.
"""

import argparse
import asyncio
import json
import shutil
import statistics
import subprocess
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


# Each request a new post (a unique source_ref per connection and count), as wrk sends them.
WRK_SCRIPT = textwrap.dedent("""
    local counter = 0
    local threads = {}
    function setup(thread)
      thread:set("id", #threads + 1)
      table.insert(threads, thread)
    end
    function init(args)
      prefix = (os.getenv("BENCH_RUN") or "run") .. "-" .. tostring(id)
    end
    function request()
      counter = counter + 1
      local body = '{"channel":"vk","source_ref":"wall-1_' .. prefix .. '-' .. counter ..
        '","author_ref":"vk:' .. prefix .. counter .. '","text":"TEXT","received_at":"' .. os.getenv("BENCH_AT") .. '"}'
      return wrk.format("POST", nil, {["Content-Type"] = "application/json",
        ["Authorization"] = os.getenv("BENCH_AUTH") or ""}, body)
    end
    function done(summary, latency, requests)
      io.write(string.format('{"requests": %d, "seconds": %f, "p50_ms": %f, "p99_ms": %f, "failures": %d}\\n',
        summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3, latency:percentile(99) / 1e3,
        summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write
        + summary.errors.timeout))
    end
""").replace("TEXT", TEXT)


def wrk_load(
    url: str, headers: dict, seconds: float, connections: int, workdir: Path
) -> tuple[float, float, float, int]:
    """Requests/s, p50 and p99 in ms, and the count of failed requests."""
    script = workdir / "register.lua"
    script.write_text(WRK_SCRIPT, encoding="utf-8")
    received = (datetime.now(UTC) - timedelta(minutes=5)).isoformat()
    env = {"BENCH_RUN": uuid4().hex[:8], "BENCH_AT": received, "BENCH_AUTH": headers.get("Authorization", "")}
    run = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{round(seconds)}s", "-s", str(script), url],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    figures = json.loads(run.stdout.strip().splitlines()[-1])
    return figures["requests"] / figures["seconds"], figures["p50_ms"], figures["p99_ms"], figures["failures"]


def measured(url: str, headers: dict, args: argparse.Namespace, workdir: Path) -> tuple[float, float, float, int]:
    """A warm-up, then the measured run: requests/s, p50 and p99 in ms, failures."""
    if shutil.which("wrk"):
        wrk_load(url, headers, 2, args.connections, workdir)
        return wrk_load(url, headers, args.seconds, args.connections, workdir)
    asyncio.run(load(url, headers, 200, args.connections))
    rate, latencies, failures = asyncio.run(load(url, headers, int(args.seconds * 300), args.connections))
    return rate, percentile(latencies, 50), percentile(latencies, 99), failures


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


def bare_library_rate(store_env: dict, seconds: float) -> float:
    """Saves/s of the bare library, one aggregate per transaction, for as long as the HTTP
    load ran: a flush to disk takes from 0.2 to 0.6 ms on this machine from one minute to the
    next, and a short loop would measure a moment rather than the disk."""
    sys.path.insert(0, str(ROOT))
    from eventsourcing.application import Application

    from domain.complaint import Complaint
    from domain.reaction import ReactionPolicy

    app = Application(env=store_env)
    policy, now = ReactionPolicy(), datetime.now(UTC)
    started = time.perf_counter()
    saved = 0
    while time.perf_counter() - started < seconds:
        saved += 1
        app.save(
            Complaint.register(
                channel="vk",
                source_ref=f"bare-{saved}-{uuid4().hex[:8]}",
                author_ref=f"vk:{saved}",
                text=TEXT,
                received_at=now,
                policy=policy,
                id_key=b"bench",
                actor="bench",
                at=now,
            )
        )
    elapsed = time.perf_counter() - started
    app.close()
    return saved / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=10, help="of load on each server")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--store", choices=["sqlite", "postgres"], default="sqlite")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp, store_environment(args.store, Path(tmp)) as env:
        workdir = Path(tmp)
        headers = {"Authorization": f"Bearer {issue_token(workdir, env, role='intake', name='bench', channels=['vk'])}"}
        with running_mcu(env, workdir) as base:
            ours, p50, p99, failures = measured(f"{base}/api/v1/complaints", headers, args, workdir)

        (workdir / "bare_litestar.py").write_text(BARE_LITESTAR)
        port = free_port()
        bare = serve(
            [sys.executable, "-m", "uvicorn", "bare_litestar:app", "--port", str(port), "--log-level", "warning"],
            env,
            workdir,
            f"http://127.0.0.1:{port}/",
        )
        try:
            bare_http, bare_p50, bare_p99, _ = measured(f"http://127.0.0.1:{port}/api/v1/complaints", {}, args, workdir)
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
        library = bare_library_rate(store_env, args.seconds)

    client = "wrk" if shutil.which("wrk") else "aiohttp (install wrk for a client that does not compete for the CPU)"
    print(f"store: {args.store}, {args.seconds:g} s of load at {args.connections} connections, one worker, {client}")
    print(f"mcu registration over HTTP : {ours:8.0f} req/s  p50 {p50:6.1f} ms  p99 {p99:6.1f} ms  failed: {failures}")
    print(f"bare Litestar, no work     : {bare_http:8.0f} req/s  p50 {bare_p50:6.1f} ms  p99 {bare_p99:6.1f} ms")
    print(f"bare eventsourcing save    : {library:8.0f} aggregates/s (one per transaction)")
    print(f"ratio to the bare library  : {ours / library:.2f}x")
    print(f"ratio to bare Litestar     : {ours / bare_http:.2f}x")


if __name__ == "__main__":
    main()
