"""Registration in a process of its own, beside an API worker.

Building a complaint (its seal and countersignature, the author's encryption, the encoding)
costs about as much CPU as answering the HTTP request that carries it, and one Python process
runs Python on one core at a time. So the group commit's batches are registered by a child
process with its own connection to the same store: the worker speaks HTTP on one core while
the child builds and commits on another. The child answers a batch only after its commit, so
a 201 still means the complaint is on disk; a child that dies is replaced, and the batch it
held is answered 503 (repeating a registration is idempotent).

Batches cross a pipe as msgspec JSON, not pickles: pickling the answers' dataclasses cost the
worker more than the HTTP request itself, and JSON keeps each time's UTC offset as given.
"""

from collections.abc import Sequence
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from threading import Lock
from uuid import UUID

import msgspec
from eventsourcing.persistence import InterfaceError, OperationalError

from adapters.config import Settings
from application.clock import SystemClock
from application.commands import Register
from application.complaints import Registration
from application.errors import Busy
from domain.errors import DomainError, InvalidComplaint, SourceTaken
from interfaces import heap
from interfaces.child_process import spawn, stop
from interfaces.complaint_service import complaint_service

# The library's, for either store; the citizen keys' adapters raise them too.
_STORE_ERRORS = (OperationalError, InterfaceError)


class _Outcome(msgspec.Struct, omit_defaults=True):
    registration: Registration | None = None
    refused: str | None = None  # an invalid complaint, in the domain's words
    taken_by: UUID | None = None  # another post's complaint holds the reference

    @classmethod
    def of(cls, outcome: Registration | DomainError) -> "_Outcome":
        if isinstance(outcome, SourceTaken):
            return cls(taken_by=outcome.complaint_id)
        if isinstance(outcome, DomainError):
            return cls(refused=str(outcome))
        return cls(registration=outcome)

    def result(self) -> Registration | DomainError:
        if self.taken_by is not None:
            return SourceTaken(self.taken_by)
        if self.refused is not None:
            return InvalidComplaint(self.refused)
        assert self.registration is not None
        return self.registration


class _Batch(msgspec.Struct):
    commands: list[Register]
    with_views: bool


class _Reply(msgspec.Struct, omit_defaults=True):
    outcomes: list[_Outcome] = []
    # Nothing of the batch was recorded: the store failed (a 503), or something else did.
    failure: str | None = None
    store_failed: bool = False


_encode = msgspec.json.Encoder().encode
_decode_batch = msgspec.json.Decoder(_Batch).decode
_decode_reply = msgspec.json.Decoder(_Reply).decode


def _serve(connection: Connection, settings: Settings) -> None:
    """The child: registers each batch it receives until the worker closes the pipe."""
    # A durable store's key is read from its folder, the same the worker read.
    service = complaint_service(settings, SystemClock(), settings.audit_key_bytes())
    heap.settle()
    try:
        while True:
            try:
                received = connection.recv_bytes()
            except EOFError:
                return
            try:
                batch = _decode_batch(received)
                outcomes = service.register_many(batch.commands, with_views=batch.with_views)
            except _STORE_ERRORS as failure:
                reply = _Reply(failure=f"{type(failure).__name__}: {failure}", store_failed=True)
            except Exception as failure:  # noqa: BLE001 - the child serves on; the batch fails
                # Only the type: a message may quote a citizen's text.
                reply = _Reply(failure=f"registration failed in the child process ({type(failure).__name__})")
            else:
                reply = _Reply(outcomes=[_Outcome.of(o) for o in outcomes])
            connection.send_bytes(_encode(reply))
    finally:
        service.close()


class RegistrationProcess:
    """``register_many`` of a child process, started on first use, restarted after a death."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._child: tuple[BaseProcess, Connection] | None = None
        self._lock = Lock()

    def register_many(
        self, commands: Sequence[Register], *, with_views: bool = True
    ) -> list[Registration | DomainError]:
        with self._lock:
            process, connection = self._running()
            try:
                connection.send_bytes(_encode(_Batch(list(commands), with_views)))
                reply = _decode_reply(connection.recv_bytes())
            except (EOFError, OSError):
                self._stop()
                raise Busy("the registration process stopped and is restarted; send the registration again") from None
        if reply.failure is not None:
            raise OperationalError(reply.failure) if reply.store_failed else RuntimeError(reply.failure)
        return [o.result() for o in reply.outcomes]

    def start(self) -> None:
        """Starts the child now rather than on the first batch (it takes a second to load)."""
        with self._lock:
            self._running()

    def close(self) -> None:
        with self._lock:
            self._stop()

    def _running(self) -> tuple[BaseProcess, Connection]:
        if self._child is None:
            self._child = spawn(_serve, self._settings, "mcu-registration")
        return self._child

    def _stop(self) -> None:
        if self._child is None:
            return
        process, connection = self._child
        self._child = None
        stop(process, connection)  # the child closes its store
