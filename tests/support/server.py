"""A real `mcu serve` process on loopback, for the tests that restart or kill it."""

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from uuid import uuid4

import httpx

from adapters.config import Settings

MCU = Path(sys.executable).with_name("mcu")
ROOT = Path(__file__).resolve().parents[2]
_START_TIMEOUT = 30.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def environment(settings: Settings) -> dict[str, str]:
    """What `mcu` is run with to use the settings' store and data folder, running this checkout's
    code (not whichever an editable install of the `mcu` script points at)."""
    env = {**os.environ, "MCU_STORE": settings.store, "MCU_DATA_DIR": str(settings.data_dir), "PYTHONPATH": str(ROOT)}
    if settings.audit_key.get_secret_value():
        env["MCU_AUDIT_KEY"] = settings.audit_key.get_secret_value()
    if settings.store == "postgres":
        env |= {
            "MCU_POSTGRES_HOST": settings.postgres_host,
            "MCU_POSTGRES_PORT": str(settings.postgres_port),
            "MCU_POSTGRES_DBNAME": settings.postgres_dbname,
            "MCU_POSTGRES_USER": settings.postgres_user,
            "MCU_POSTGRES_PASSWORD": settings.postgres_password.get_secret_value(),
            "MCU_POSTGRES_SCHEMA": settings.postgres_schema,
        }
    return env


def run_mcu(workdir: Path, env: Mapping[str, str], *args: str) -> str:
    """What an `mcu` command prints on stdout (a one-time code, a token)."""
    done = subprocess.run([str(MCU), *args], cwd=workdir, env=env, check=True, capture_output=True, text=True)
    return done.stdout.strip()


def issue_token(workdir: Path, env: Mapping[str, str], *, role: str, name: str, channels: Sequence[str] = ()) -> str:
    """A token of a new account of the role (an executor's of ДГХ), as `mcu` issues it."""
    login = f"{role}-{uuid4().hex[:8]}"
    organisation = ["--organisation", "ДГХ"] if role == "executor" else []
    run_mcu(workdir, env, "account", "add", "--login", login, "--name", name, "--role", role, *organisation)
    for_channels = (f"--channel={c}" for c in channels)
    return run_mcu(workdir, env, "token", "issue", "--account", login, "--name", name, *for_channels)


@contextmanager
def serving(
    workdir: Path, env: Mapping[str, str], port: int, *options: str
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """Yields the base URL once /health answers. The server gets a process group of its own, so
    that stopping it also stops its workers; its stderr goes to a file, as a pipe nobody reads
    would fill up under load and stall the server."""
    log = workdir / "serve.log"
    with log.open("wb") as stderr:
        process = subprocess.Popen(
            [str(MCU), "serve", "--port", str(port), *options],
            cwd=workdir,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + _START_TIMEOUT
        while True:
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None, log.read_text(errors="replace")
            assert time.monotonic() < deadline, f"mcu serve did not become healthy in {_START_TIMEOUT} s"
            time.sleep(0.1)
        yield base, process
    finally:
        _stop(process)


def _stop(process: subprocess.Popen[bytes]) -> None:
    # A test may have killed the server already; its workers may still be running.
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)
