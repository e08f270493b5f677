"""A real `mcu serve` on PostgreSQL: how many connections an idle worker holds.

An idle worker with its registration and projection children held 43, so three idle servers
exhausted PostgreSQL's default max_connections (100). Its applications now share one pool per
process; docs/operations.md gives the formula this test checks."""

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import psycopg

from adapters.config import Settings
from tests.support.server import environment, free_port, issue_token, serving

DEFAULT_MAX_CONNECTIONS = 100


def _connections(dsn: str, application_name: str) -> int:
    with psycopg.connect(dsn) as conn:
        row = conn.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = %s", (application_name,))
        return int(row.fetchone()[0])  # type: ignore[index]


def test_an_idle_worker_leaves_room_for_three_servers(
    tmp_path: Path, postgres_settings: Settings, postgres_dsn: str
) -> None:
    settings = postgres_settings
    # libpq names every connection the server's processes open, whichever pool opens it.
    name = f"mcu-idle-{settings.postgres_schema}"
    env = {**environment(settings), "PGAPPNAME": name}
    token = issue_token(tmp_path, env, role="intake", name="e2e", channels=["vk"])
    with serving(tmp_path, env, free_port()) as (base, _):
        # One registration, so that the worker's registration child is running too.
        registered = httpx.post(
            f"{base}/api/v1/complaints",
            headers={"Authorization": f"Bearer {token}"},
            json={
                "channel": "vk",
                "source_ref": "wall-1_1",
                "author_ref": "vk:id1",
                "text": "Не вывозят мусор",
                "received_at": (datetime.now(UTC) - timedelta(minutes=5)).isoformat(),
            },
            timeout=30,
        )
        assert registered.status_code == 201, registered.text
        time.sleep(3)
        held = _connections(postgres_dsn, name)
    print(f"an idle worker with its children holds {held} PostgreSQL connections")

    defaults = Settings.model_fields
    pool = defaults["postgres_pool_size"].default + defaults["postgres_max_overflow"].default
    # docs/operations.md: a worker with both children holds at most 5 × (pool size + overflow) + 6.
    assert held <= 5 * pool + 6, held
    assert held * 3 < DEFAULT_MAX_CONNECTIONS, f"an idle worker holds {held} connections"
