"""Registration in a child process of the worker: the same outcomes as in the worker, and a
child killed mid-stream is replaced without losing what it had answered."""

import os
import signal
from collections.abc import Iterator
from datetime import timedelta

import pytest
from eventsourcing.persistence import OperationalError

from adapters.config import Settings
from application.clock import SystemClock
from application.complaints import Registration
from application.errors import Busy
from domain.errors import InvalidComplaint, SourceTaken
from interfaces.bootstrap import Services, bootstrap
from interfaces.registration_process import RegistrationProcess
from tests.support.commands import new_complaint
from tests.support.stored_rows import StoredRows


@pytest.fixture
def worker(durable_settings: Settings) -> Iterator[tuple[Services, RegistrationProcess]]:
    services = bootstrap(durable_settings, clock=SystemClock())
    child = RegistrationProcess(durable_settings)
    yield services, child
    child.close()
    services.close()


def test_the_child_registers_as_the_worker_would(worker: tuple[Services, RegistrationProcess]) -> None:
    services, child = worker
    outcomes = child.register_many([new_complaint(1), new_complaint(2, text=" "), new_complaint(1), new_complaint(3)])
    assert [type(o).__name__ for o in outcomes] == ["Registration", "InvalidComplaint", "Registration", "Registration"]
    first, refused, repeat, third = outcomes
    assert isinstance(first, Registration) and isinstance(repeat, Registration) and isinstance(third, Registration)
    assert isinstance(refused, InvalidComplaint) and "text" in str(refused)
    assert (first.created, repeat.created, repeat.complaint_id) == (True, False, first.complaint_id)
    # What the child answers is what the worker reads back from the store, UTC offsets included.
    assert first.view is not None
    stored = services.complaints.get(first.complaint_id)
    fields = ("id", "version", "status", "channel", "text", "received_at", "registered_at", "author_ref")
    assert [getattr(first.view, f) for f in fields] == [getattr(stored, f) for f in fields]
    assert first.view.received_at.utcoffset() == timedelta(hours=3)
    author = services.complaints.author_of(first.complaint_id)
    assert author is not None and author.name == "Иван Петров"
    assert child.register_many([new_complaint(3)]) == [Registration(third.complaint_id, created=False)]
    [taken] = child.register_many([new_complaint(3, text="Другой пост под той же ссылкой")])
    assert isinstance(taken, SourceTaken) and taken.complaint_id == third.complaint_id


def test_a_killed_child_is_replaced_and_loses_nothing_it_answered(
    worker: tuple[Services, RegistrationProcess],
) -> None:
    services, child = worker
    answered = child.register_many([new_complaint(n) for n in range(10)])
    process, _ = child._child  # type: ignore[misc]
    os.kill(process.pid, signal.SIGKILL)
    process.join(timeout=10)
    with pytest.raises(Busy):
        child.register_many([new_complaint(10)])
    # The repeat is idempotent, and the new child carries on.
    after = child.register_many([new_complaint(10), new_complaint(0)])
    assert [o.created for o in after if isinstance(o, Registration)] in ([True, False], [False, False])
    for outcome in answered:
        assert isinstance(outcome, Registration)
        assert services.complaints.get(outcome.complaint_id).status == "registered"


def test_a_batch_that_fails_in_the_child_fails_alone(worker: tuple[Services, RegistrationProcess]) -> None:
    _, child = worker
    # A batch the child cannot read stands in for an unexpected failure there.
    broken = new_complaint(1, received_at="not a moment")
    with pytest.raises(RuntimeError, match=r"registration failed in the child process \(ValidationError\)"):
        child.register_many([broken])
    assert [o.created for o in child.register_many([new_complaint(2)]) if isinstance(o, Registration)] == [True]


def test_a_store_the_child_cannot_write_to_is_the_store_unavailable(sqlite_settings: Settings) -> None:
    # What the API answers 503; SQLite's "database is locked", as the library raises it.
    settings = sqlite_settings.model_copy(update={"sqlite_lock_timeout": 1})
    services = bootstrap(settings, clock=SystemClock())
    child = RegistrationProcess(settings)
    try:
        child.start()
        with StoredRows(settings).write_locked(), pytest.raises(OperationalError, match="locked"):
            child.register_many([new_complaint(1)])
        assert [o.created for o in child.register_many([new_complaint(1)]) if isinstance(o, Registration)] == [True]
    finally:
        child.close()
        services.close()
