"""The console's pages at a year of a big city's complaints, and what live queues cost the API.

    .venv/bin/python bench/console.py [--complaints 100000] [--repeat 200] [--pollers 200]

First, in this process (Litestar's test client, no network): the server time of the queue
page (default filters, a category, a search, the rows htmx refreshes), the complaint card and
the statistics page, as p50 / p99 over ``--repeat`` requests, with ``/health`` as the floor of
the harness itself; and the weight of the queue's first load (page, stylesheet, scripts).

Then against a real `mcu serve` worker: registrations over HTTP (wrk) with no console open,
and with ``--pollers`` consoles open, each refreshing its queue's rows every 10 s as the page
does. The two rates are measured in the same run and compared.

Targets (issue 14): queue p50 ≤ 20 ms and p99 ≤ 50 ms with 100,000 complaints on SQLite; card
and statistics p99 ≤ 100 ms; first load ≤ 300 KB; registration with the consoles open within
10% of its rate without them.
"""

import argparse
import asyncio
import html
import json
import re
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import httpx
from litestar.testing import TestClient

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from http_registration import measured  # noqa: E402
from service import MCU, running_mcu, store_environment  # noqa: E402

from adapters.clock import ManualClock  # noqa: E402
from application.demo import load_in_batches  # noqa: E402
from bench.in_process import fresh_store, latencies  # noqa: E402
from interfaces.bootstrap import bootstrap  # noqa: E402
from interfaces.http.app import create_app  # noqa: E402
from tests.support.console_login import PASSWORD, logged_in  # noqa: E402

START = datetime(2025, 12, 1, tzinfo=UTC)
# The queue refreshes its rows this often (interfaces/web/queue.py REFRESH_SECONDS).
REFRESH_SECONDS = 10


def pages(args: argparse.Namespace) -> None:
    with fresh_store("sqlite", "") as settings:
        # The simulated year ends where the clock stands, so the queue holds running clocks too.
        clock = ManualClock(START)
        services = bootstrap(settings, clock=clock)
        try:
            started = time.perf_counter()
            load_in_batches(services.complaints, args.complaints, start=START, batch=1000)
            for projector in services.read_models.projectors.values():
                projector.catch_up()
            print(f"loaded and projected {args.complaints:,} complaints in {time.perf_counter() - started:.0f} s")
            clock.set(START + timedelta(days=365))
            with TestClient(create_app(services)) as client:
                operator = logged_in(client, services, "operator")
                supervisor = logged_in(client, services, "supervisor")
                first = client.get("/queue", params={"status": "any"}, headers=operator).text
                card = "/complaints/" + first.split('href="/complaints/', 1)[1].split('"', 1)[0]
                refresh = {**operator, "HX-Request": "true"}
                unchanged = {**refresh, **rows_header(client.get("/queue", headers=refresh).text)}
                # A month in the middle of the simulated complaints' (they span 90 days).
                month = (START + timedelta(days=45)).strftime("%Y-%m")
                asked = {
                    "/health (the harness)": ("/health", {}, {}),
                    "queue, open complaints": ("/queue", {}, operator),
                    "queue, every status": ("/queue", {"status": "any"}, operator),
                    "queue, a category": ("/queue", {"category": "roads", "status": "any"}, operator),
                    "queue, a search": ("/queue", {"q": "вода", "status": "any"}, operator),
                    "queue rows (htmx refresh)": ("/queue", {}, refresh),
                    "queue rows, unchanged (204)": ("/queue", {}, unchanged),
                    "complaint card": (card, {}, operator),
                    "statistics of a month": ("/statistics", {"month": month}, supervisor),
                }
                print(f"{'page, server time in ms':<32}{'p50':>8}{'p99':>8}")
                for label, (path, params, headers) in asked.items():
                    repeat = max(args.repeat // 10, 10) if label.startswith("statistics") else args.repeat

                    def ask(_: int, path: str = path, params: dict = params, headers: dict = headers) -> None:
                        answer = client.get(path, params=params, headers=headers)
                        assert answer.status_code == (204 if headers is unchanged else 200), (path, answer.status_code)

                    p50, p99 = latencies(ask, repeat)
                    print(f"{label:<32}{p50:>8.1f}{p99:>8.1f}", flush=True)
                print(f"first load of the queue: {first_load(client, operator) / 1024:.0f} KB uncompressed")
        finally:
            services.close()


def first_load(client: TestClient, headers: dict[str, str]) -> int:
    page = client.get("/queue", headers=headers).text
    assets = [part.split('"', 1)[0] for part in page.split('src="')[1:] + page.split('href="')[1:]]
    fetched = [a for a in assets if a.startswith("/static/")]
    return len(page.encode()) + sum(len(client.get(asset).content) for asset in fetched)


def live_queues(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as folder, store_environment("sqlite", Path(folder)) as env:
        workdir = Path(folder)
        login = "bench-operator"
        code = _mcu(env, workdir, "account", "add", "--login", login, "--name", "Оператор", "--role", "operator")
        token = _mcu(env, workdir, "token", "issue", "--account", login, "--name", "bench")
        with running_mcu(env, workdir) as base:
            cookie = console_session(base, login, code)
            url, headers = f"{base}/api/v1/complaints", {"Authorization": f"Bearer {token}"}
            alone = measured(url, headers, args, workdir)
            stop = threading.Event()
            polled: list[int] = []
            pollers = threading.Thread(target=lambda: asyncio.run(poll(base, cookie, args.pollers, stop, polled)))
            pollers.start()
            time.sleep(REFRESH_SECONDS)  # every console has refreshed once before the load starts
            with_consoles = measured(url, headers, args, workdir)
            stop.set()
            pollers.join()
        print(f"{'registration over HTTP, 1 worker':<40}{'req/s':>8}{'p50 ms':>8}{'p99 ms':>8}")
        print(f"{'no console open':<40}{alone[0]:>8.0f}{alone[1]:>8.1f}{alone[2]:>8.1f}")
        label = f"{args.pollers} consoles refreshing every {REFRESH_SECONDS} s"
        print(f"{label:<40}{with_consoles[0]:>8.0f}{with_consoles[1]:>8.1f}{with_consoles[2]:>8.1f}")
        unchanged = polled.count(204)
        print(
            f"ratio: {with_consoles[0] / alone[0]:.2f}; queue refreshes answered: {len(polled)}, "
            f"{unchanged} of them 'unchanged' (204)"
        )


def _mcu(env: dict[str, str], workdir: Path, *args: str) -> str:
    """What an `mcu` command prints."""
    done = subprocess.run([str(MCU), *args], env=env, cwd=workdir, check=True, capture_output=True, text=True)
    return done.stdout.strip()


def console_session(base: str, login: str, code: str) -> str:
    """Logs the person in through the forms, as a browser does; their session's cookie."""
    with httpx.Client(base_url=base, follow_redirects=False) as browser:
        token = browser.get("/login").text.split('name="_csrf_token" value="', 1)[1].split('"', 1)[0]
        form = {"login": login, "password": code, "next": "/queue", "_csrf_token": token}
        page = browser.post("/login", data=form)
        token = page.text.split('name="_csrf_token" value="', 1)[1].split('"', 1)[0]
        fields = {"login": login, "code": code, "password": PASSWORD, "again": PASSWORD, "next": "/queue"}
        browser.post("/login/password", data={**fields, "_csrf_token": token})
        return browser.cookies["mcu_session"]


async def poll(base: str, cookie: str, consoles: int, stop: threading.Event, answered: list[int]) -> None:
    headers = {"Cookie": f"mcu_session={cookie}", "HX-Request": "true"}
    async with aiohttp.ClientSession(headers=headers) as session:

        async def console(n: int) -> None:
            await asyncio.sleep(REFRESH_SECONDS * n / consoles)  # the consoles were opened at different moments
            shown: dict[str, str] = {}
            while not stop.is_set():
                # As htmx does: each refresh sends the header the rows shown carry (hx-headers),
                # and a 204 leaves them as they are.
                async with session.get(f"{base}/queue", headers=shown) as answer:
                    answered.append(answer.status)
                    if answer.status == 200:
                        shown = rows_header(await answer.text())
                await asyncio.sleep(REFRESH_SECONDS)

        await asyncio.gather(*(console(n) for n in range(consoles)))


def rows_header(rows: str) -> dict[str, str]:
    found = re.search(r"hx-headers='([^']*)'", rows)
    return json.loads(html.unescape(found.group(1))) if found else {}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--complaints", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--pollers", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--skip-pages", action="store_true")
    args = parser.parse_args()
    if not args.skip_pages:
        pages(args)
    live_queues(args)


if __name__ == "__main__":
    main()
