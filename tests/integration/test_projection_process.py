"""The embedded projections in a child process of the worker: the worker's queries still see
its own writes, and a child that dies is replaced."""

import os
import signal
import time
from collections.abc import Iterator

import pytest

from adapters.config import Settings
from application.clock import SystemClock
from application.projections.complaint_list import ComplaintQuery
from interfaces.bootstrap import Services, bootstrap
from interfaces.projection_process import ProjectionProcess
from tests.support.commands import new_complaint


@pytest.fixture
def worker(durable_settings: Settings) -> Iterator[tuple[Services, ProjectionProcess]]:
    services = bootstrap(durable_settings, clock=SystemClock())
    # Generous: the child follows at a lower priority, and a test run keeps both cores busy.
    services.read_models.wait_seconds = 30
    projections = ProjectionProcess(durable_settings, services.read_models)
    projections.start()
    yield services, projections
    projections.stop()
    services.close()


def _register(services: Services, n: int) -> None:
    services.complaints.register(new_complaint(n))


def _listed(services: Services) -> int:
    page = services.read_models.complaints(ComplaintQuery(limit=100))
    assert page.lag == 0, "the view did not reach the worker's writes"
    return len(page.value.items)


def test_the_worker_reads_its_own_writes_from_views_the_child_keeps(
    worker: tuple[Services, ProjectionProcess],
) -> None:
    services, projections = worker
    assert projections.pid is not None and projections.pid != os.getpid()
    for n in range(3):
        _register(services, n)
    assert _listed(services) == 3
    read_models = services.read_models
    behind = [read_models.fresh(name) for name in read_models.projectors]
    assert behind == [0] * len(behind), read_models.lag()
    assert [lag.failure for lag in read_models.lag()] == [None] * len(behind)


def test_a_killed_child_is_replaced_and_the_views_carry_on(worker: tuple[Services, ProjectionProcess]) -> None:
    services, projections = worker
    _register(services, 1)
    assert _listed(services) == 1
    first = projections.pid
    assert first is not None
    os.kill(first, signal.SIGKILL)
    deadline = time.monotonic() + 30
    while projections.pid == first and time.monotonic() < deadline:
        time.sleep(0.1)
    assert projections.pid != first
    _register(services, 2)
    assert _listed(services) == 2
