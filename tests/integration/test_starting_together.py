"""Processes that start together on a new store all start, with one store and one key.

API workers, their registration and projection children and the import's children all
create the tables they need as they start. PostgreSQL refused two sessions running such
statements at one moment ("tuple concurrently updated"), which an import on PostgreSQL met.
"""

import multiprocessing
import stat
from pathlib import Path
from typing import Any

from adapters.config import Settings
from application.clock import SystemClock
from interfaces.bootstrap import bootstrap
from interfaces.complaint_service import complaint_service


def _start_worker(settings: Settings) -> None:
    bootstrap(settings, clock=SystemClock()).close()


def _start_registration_child(settings: Settings) -> None:
    complaint_service(settings, SystemClock(), settings.audit_key_bytes()).close()


def test_processes_starting_together_on_a_new_store_all_start(durable_settings: Settings) -> None:
    context = multiprocessing.get_context("spawn")
    processes = [
        context.Process(target=target, args=(durable_settings,))
        for target in (_start_worker, _start_registration_child) * 4
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=120)
    assert [process.exitcode for process in processes] == [0] * len(processes)


def _read_audit_key(data_dir: Path, ready: Any, keys: Any) -> None:
    ready.wait()  # all at once, as workers started together reach it
    keys.put(Settings(store="sqlite", data_dir=data_dir).audit_key_bytes())


def test_processes_starting_together_read_one_audit_key(tmp_path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    ready, keys = context.Barrier(8), context.Queue()
    processes = [context.Process(target=_read_audit_key, args=(tmp_path / "var", ready, keys)) for _ in range(8)]
    for process in processes:
        process.start()
    read = [keys.get(timeout=20) for _ in processes]
    for process in processes:
        process.join(timeout=60)
    assert [process.exitcode for process in processes] == [0] * len(processes)
    assert len(set(read)) == 1 and len(read[0]) == 64
    assert stat.S_IMODE((tmp_path / "var" / "audit.key").stat().st_mode) == 0o600
    assert [p.name for p in (tmp_path / "var").iterdir()] == ["audit.key"]
