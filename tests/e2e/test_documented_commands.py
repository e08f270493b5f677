"""The manual's shell examples, run as a reader would run them, against a real `mcu serve`:
what they print is checked, not the prose around them."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.server import free_port, serving

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTED_PORT = "127.0.0.1:8000"


def _examples(page: str) -> list[str]:
    text = (ROOT / "docs" / page).read_text(encoding="utf-8")
    return re.findall(r"```sh\n(.*?)```", text, flags=re.DOTALL)


def _run(script: str, workdir: Path, env: dict[str, str], port: int) -> str:
    finished = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script.replace(DOCUMENTED_PORT, f"127.0.0.1:{port}")],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert finished.returncode == 0, finished.stderr[-2000:]
    return finished.stdout


@pytest.fixture
def reader(tmp_path: Path):
    """A reader's folder: the examples' `.venv/bin/mcu` and a server on a port of its own."""
    (tmp_path / ".venv").symlink_to(Path(sys.executable).parents[1])
    env = {**os.environ, "MCU_STORE": "sqlite", "MCU_DATA_DIR": str(tmp_path / "var")}
    port = free_port()
    with serving(tmp_path, env, port):
        yield tmp_path, env, port


def test_the_api_by_example_and_the_audit_examples_run_as_written(reader) -> None:
    workdir, env, port = reader
    api, *_ = _examples("api.md")
    history, *_ = _examples("audit.md")
    printed = _run(api + history, workdir, env, port)
    assert '"status":"resolved"' in printed.replace(" ", "")
    assert '"type":"Resolved"' in printed.replace(" ", "")
    assert (workdir / "log.jsonl").stat().st_size > 0 and (workdir / "anchor.json").is_file()
    assert "not yet registered" not in printed  # the as_of example finds the complaint
    assert printed.count("intact") == 2  # the store, and the one restored from its export


def test_the_open311_example_runs_as_written(reader) -> None:
    workdir, env, port = reader
    (example,) = _examples("open311.md")
    printed = _run(example, workdir, env, port)
    assert "service_request_id" in printed and "<service_requests>" in printed
