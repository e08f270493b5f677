"""Processes that start together on a new store each create its tables, and all of them start.

API workers, their registration and projection children and the import's children all
create the tables they need as they start. PostgreSQL refused two sessions running such
statements at one moment ("tuple concurrently updated"), which an import on PostgreSQL met.
"""

import multiprocessing

from adapters.config import Settings
from application.clock import SystemClock
from interfaces.bootstrap import bootstrap, complaint_service


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
