"""A rebuild killed with SIGKILL half-way leaves the live view serving, resumes where it stopped
and ends equal to a clean one."""

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from click.testing import CliRunner

from adapters.config import Settings
from application.demo import load_in_batches
from interfaces.bootstrap import bootstrap
from interfaces.cli import main

MCU = [sys.executable, "-c", "from interfaces.cli import main; main()"]


def _replay(data_dir: Path, batch: int) -> subprocess.Popen[str]:
    env = {**os.environ, "MCU_STORE": "sqlite", "MCU_DATA_DIR": str(data_dir), "MCU_PROJECTION_BATCH_SIZE": str(batch)}
    return subprocess.Popen(
        [*MCU, "replay", "--projection", "complaint_list"],
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _position(view_file: Path) -> int:
    try:
        with sqlite3.connect(view_file, timeout=5) as db:
            row = db.execute("SELECT notification_id FROM tracking WHERE application_name = 'Complaints'").fetchone()
    except sqlite3.OperationalError:  # the table is being recreated
        return 0
    return row[0] if row else 0


def _rows(view_file: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(view_file) as db:
        return db.execute("SELECT * FROM complaint_list_complaints ORDER BY id").fetchall()


def test_a_killed_replay_resumes_and_equals_a_clean_rebuild(tmp_path: Path) -> None:
    killed, clean = tmp_path / "killed", tmp_path / "clean"
    services = bootstrap(Settings(store="sqlite", data_dir=killed))
    last = load_in_batches(services.complaints, 600, start=datetime(2026, 8, 1, tzinfo=UTC), batch=300)
    services.read_models.projectors["complaint_list"].catch_up()
    services.close()
    shutil.copytree(killed, clean)
    view_file = killed / "views" / "complaint_list.sqlite3"
    rebuilt_file = killed / "views" / "complaint_list.rebuild.sqlite3"
    live_rows = _rows(view_file)

    # Small batches make the rebuild long enough to be killed in the middle.
    process = _replay(killed, batch=10)
    deadline = time.monotonic() + 30
    while not 0 < _position(rebuilt_file) < last // 2:
        assert process.poll() is None and time.monotonic() < deadline, "the replay ended before it could be killed"
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait()
    interrupted_at = _position(rebuilt_file)
    assert 0 < interrupted_at < last
    assert _position(view_file) == last and _rows(view_file) == live_rows  # the live view went on serving

    # The restart runs in this process: a fresh start of the command, without another
    # interpreter's start-up time.
    resumed = CliRunner().invoke(
        main, ["replay", "--projection", "complaint_list"], env={"MCU_STORE": "sqlite", "MCU_DATA_DIR": str(killed)}
    )
    assert resumed.exit_code == 0, resumed.output
    assert f"resuming an interrupted rebuild at event {interrupted_at}" in resumed.output
    assert _position(view_file) == last

    reference = bootstrap(Settings(store="sqlite", data_dir=clean))
    reference.read_models.projectors["complaint_list"].rebuild()
    reference.close()
    assert not rebuilt_file.exists()
    assert _rows(view_file) == _rows(clean / "views" / "complaint_list.sqlite3")
