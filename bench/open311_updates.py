"""What an anonymous Open311 update read costs at scale.

Loads N complaints over 90 days into SQLite and PostgreSQL, a share of them made through
Open311 (each with its details, half with a photo), builds the open311_updates view, and
prints p50/p99 latencies of GET servicerequestupdates through the whole HTTP stack (Litestar's
test client, in process): full 200-update pages of the default 90-day window, every one a
different question so none is answered from the cache (JSON and XML), a page deep in the
window, the last hour (what a client polling for news asks), and one question asked again
(answered from the cache). No key is needed for any of them.

    .venv/bin/python bench/open311_updates.py --complaints 100000 --stores sqlite,postgres
"""

import argparse
import random
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from litestar.testing import TestClient

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from adapters.clock import ManualClock  # noqa: E402
from adapters.config import Settings  # noqa: E402
from application.demo import load_in_batches  # noqa: E402
from bench.in_process import fresh_store, latencies  # noqa: E402
from domain.complaint import Channel, Complaint  # noqa: E402
from domain.service_request import ServiceRequest  # noqa: E402
from interfaces.bootstrap import Services, bootstrap  # noqa: E402
from interfaces.http.app import create_app  # noqa: E402

START = datetime(2026, 8, 1, tzinfo=UTC)
DAYS = 90
ACTOR = "operator:bench"
UPDATES = "/open311/v2/servicerequestupdates"


def load_open311(services: Services, count: int, *, seed: int = 11, batch: int = 1000) -> None:
    """``count`` Open311 requests spread over the 90 days, with the lives complaints have:
    assigned, answered, most resolved; saved many per transaction, as load_in_batches does."""
    rng = random.Random(seed)
    spacing = timedelta(days=DAYS) / count
    complaints: list[Complaint] = []
    details: list[ServiceRequest] = []
    for number in range(count):
        received_at = START + spacing * number + timedelta(seconds=rng.uniform(0, 60))
        token = f"bench-{seed}-{number}"
        complaint = Complaint.register(
            channel=Channel.OPEN311,
            source_ref=token,
            author_ref=f"open311:request:{token}",
            text=f"Не горит фонарь у дома {number % 180 + 1} по Пушкинской",
            received_at=received_at,
            policy=services.complaints.policy,
            id_key=services.complaints.id_key,
            actor="intake:city app",
            at=received_at,
            address="улица Пушкинская, 150",
            category="improvement",
            district="Кировский",
        )
        media = f"https://example.ru/p/{number}.jpg" if number % 2 else None
        details.append(ServiceRequest.submit(complaint_id=complaint.id, at=received_at, media_url=media))
        at = received_at + timedelta(minutes=rng.uniform(5, 90))
        complaint.assign("МКУ «Управление благоустройства»", actor=ACTOR, at=at)
        at += timedelta(minutes=rng.uniform(10, 200))
        complaint.respond("Бригада выехала", actor=ACTOR, at=at)
        if rng.random() < 0.85:
            complaint.resolve("Фонарь заменён", actor=ACTOR, at=at + timedelta(days=rng.uniform(0.5, 12)))
        complaints.append(complaint)
        if len(complaints) == batch:
            services.open311.records.save(*details)
            services.complaints.save(*complaints)
            complaints, details = [], []
    if complaints:
        services.open311.records.save(*details)
        services.complaints.save(*complaints)


def questions(client: TestClient, now: datetime) -> dict[str, Callable[[int], object]]:
    def get(fmt: str, **params: str) -> bytes:
        response = client.get(f"{UPDATES}.{fmt}", params=params)
        assert response.status_code == 200, response.text
        return response.content

    def window_start(n: int) -> str:
        # A second later each time: a different question, the same amount of work.
        return (now - timedelta(days=DAYS) + timedelta(seconds=n)).isoformat()

    return {
        "90 days, page 1 of 200, JSON": lambda n: get("json", start_date=window_start(n)),
        "90 days, page 1 of 200, XML": lambda n: get("xml", start_date=window_start(n)),
        "90 days, page 100 of 200": lambda n: get("json", start_date=window_start(n), page="100"),
        "the last hour": lambda n: get(
            "json", start_date=(now - timedelta(hours=1) + timedelta(microseconds=n)).isoformat()
        ),
        "one question again (cached)": lambda n: get("json"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--complaints", type=int, default=100_000)
    parser.add_argument("--open311-share", type=float, default=0.1, help="of the complaints, made through Open311")
    parser.add_argument("--stores", default="sqlite,postgres")
    parser.add_argument("--repeat", type=int, default=200, help="requests of each kind")
    parser.add_argument("--dsn", default="host=127.0.0.1 port=5432 dbname=test user=postgres")
    args = parser.parse_args()
    open311 = int(args.complaints * args.open311_share)

    for store in args.stores.split(","):
        with fresh_store(store, args.dsn) as fresh:
            # The views are built here, once, not followed by the app while it answers.
            measure(fresh.model_copy(update={"embedded_projections": False}), store, args, open311)


def measure(settings: Settings, store: str, args: argparse.Namespace, open311: int) -> None:
    now = START + timedelta(days=DAYS)
    services = bootstrap(settings, clock=ManualClock(now))
    try:
        print(f"\n== {store}: {args.complaints:,} complaints, {open311:,} through Open311", flush=True)
        started = time.perf_counter()
        load_in_batches(services.complaints, args.complaints - open311, start=START, batch=1000)
        load_open311(services, open311)
        last = services.complaints.recorder.max_notification_id() or 0
        print(f"loaded {last:,} events in {time.perf_counter() - started:.0f} s", flush=True)
        projector = services.read_models.projectors["open311_updates"]
        started = time.perf_counter()
        projector.catch_up()
        print(f"open311_updates built from the log at {last / (time.perf_counter() - started):,.0f} events/s")
        with TestClient(create_app(services)) as client:
            print(f"{'GET servicerequestupdates':<34}{'p50 ms':>8}{'p99 ms':>8}")
            for label, ask in questions(client, now).items():
                ask(-1)  # the first request of a kind warms the route, not the store
                p50, p99 = latencies(ask, args.repeat)
                print(f"{label:<34}{p50:>8.1f}{p99:>8.1f}", flush=True)
    finally:
        services.close()


if __name__ == "__main__":
    main()
