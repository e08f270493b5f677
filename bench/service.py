"""Running the service for a benchmark: a fresh store, a token, an `mcu serve` process.

Loopback only; a PostgreSQL store gets a schema of its own, dropped afterwards.
"""

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from uuid import uuid4

import httpx
import psycopg

# The tests' own helpers for a real `mcu` process: the benchmarks start it the same way.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.support.server import MCU, free_port, issue_token  # noqa: E402

__all__ = ["AUDIT_KEY", "MCU", "free_port", "issue_token", "running_mcu", "serve", "store_environment", "wait_healthy"]
# Every run of a benchmark seals with this key, so a benchmark can compute the complaint ids it reads.
AUDIT_KEY = b"bench"


def wait_healthy(url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited with {process.returncode}")
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise SystemExit(f"{url} did not answer in 30 s")


def serve(command: list[str], env: dict, cwd: Path, health: str) -> subprocess.Popen:
    process = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_healthy(health, process)
    return process


@contextmanager
def store_environment(store: str, workdir: Path) -> Iterator[dict[str, str]]:
    """The environment of an `mcu` process on a fresh store of the given kind."""
    env = {**os.environ, "MCU_STORE": store, "MCU_DATA_DIR": str(workdir / "var"), "MCU_AUDIT_KEY": AUDIT_KEY.decode()}
    if store != "postgres":
        yield env
        return
    schema = f"bench_{uuid4().hex[:8]}"
    env.update(MCU_POSTGRES_DBNAME=os.environ.get("MCU_POSTGRES_DBNAME", "test"), MCU_POSTGRES_SCHEMA=schema)
    conninfo = f"host=127.0.0.1 dbname={env['MCU_POSTGRES_DBNAME']} user=postgres"
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        yield env
    finally:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


@contextmanager
def running_mcu(env: dict[str, str], workdir: Path, *, workers: int = 1) -> Iterator[str]:
    """The base URL of a healthy `mcu serve`, stopped on exit."""
    port = free_port()
    server = serve(
        [str(MCU), "serve", "--port", str(port), "--workers", str(workers)],
        env,
        workdir,
        f"http://127.0.0.1:{port}/health",
    )
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=15)
