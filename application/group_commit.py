"""Group commit: registrations arriving together are written in one transaction.

Committing one request per transaction makes every registration wait for its own flush to
disk. Here callers hand their registration to one writer, which takes everything waiting (up
to a batch) and commits it with a ``register_many`` (the complaint service's own, or one run
in another process); each caller is answered only after that commit, so a 201 still means
the complaint is on disk. One bad or repeated registration in a batch does not affect the
others.
"""

import asyncio
import queue
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

from application.commands import Register
from application.complaints import Registration
from domain.errors import DomainError

_STOP = object()

_Answer = Future[Registration] | asyncio.Future[Registration]
_Outcome = Registration | DomainError | Exception
RegisterMany = Callable[[Sequence[Register]], Sequence[Registration | DomainError]]


@dataclass(slots=True)
class _Waiting:
    command: Register
    answer: _Answer
    # Set for a caller on an event loop: its answers are handed over in one call per batch,
    # which costs the loop one wake-up per batch instead of one thread hand-off per request.
    loop: asyncio.AbstractEventLoop | None = None


class GroupCommit:
    def __init__(
        self,
        register_many: RegisterMany,
        *,
        max_batch: int = 256,
        on_close: Callable[[], None] | None = None,
        on_batch: Callable[[int], None] | None = None,
    ) -> None:
        """``on_batch`` is told the size of each batch as it is committed (the service's metrics)."""
        self.register_many = register_many
        self.max_batch = max_batch
        self._on_close = on_close
        self._on_batch = on_batch
        self._queue: queue.SimpleQueue[_Waiting | object] = queue.SimpleQueue()
        self._writer = threading.Thread(target=self._write, name="group-commit", daemon=True)
        self._writer.start()

    def submit(self, command: Register) -> Future[Registration]:
        """The outcome arrives once the registration is committed (or refused)."""
        answer: Future[Registration] = Future()
        self._queue.put(_Waiting(command, answer))
        return answer

    def register(self, command: Register) -> Registration:
        return self.submit(command).result()

    async def register_async(self, command: Register) -> Registration:
        loop = asyncio.get_running_loop()
        answer: asyncio.Future[Registration] = loop.create_future()
        self._queue.put(_Waiting(command, answer, loop))
        return await answer

    def close(self) -> None:
        self._queue.put(_STOP)
        self._writer.join(timeout=10)
        if self._on_close is not None:
            self._on_close()

    def _write(self) -> None:
        while True:
            first = self._queue.get()
            if first is _STOP:
                return
            batch = [first]
            stopping = False
            while len(batch) < self.max_batch:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is _STOP:
                    stopping = True
                    break
                batch.append(item)
            self._commit([w for w in batch if isinstance(w, _Waiting)])
            if stopping:
                return

    def _commit(self, batch: list[_Waiting]) -> None:
        if self._on_batch is not None:
            self._on_batch(len(batch))
        outcomes: Sequence[_Outcome]
        try:
            outcomes = self.register_many([w.command for w in batch])
        except Exception as failure:  # the store failed: every caller in the batch learns why
            outcomes = [failure] * len(batch)
        on_loops: dict[asyncio.AbstractEventLoop, list[tuple[_Answer, _Outcome]]] = {}
        for waiting, outcome in zip(batch, outcomes, strict=True):
            if waiting.loop is None:
                _settle(waiting.answer, outcome)
            else:
                on_loops.setdefault(waiting.loop, []).append((waiting.answer, outcome))
        for loop, answers in on_loops.items():
            try:
                loop.call_soon_threadsafe(_settle_all, answers)
            except RuntimeError:  # the loop has closed: nobody is waiting any more
                pass


def _settle(answer: Any, outcome: _Outcome) -> None:
    if answer.done():  # the caller gave up waiting (a cancelled request)
        return
    if isinstance(outcome, Exception):
        answer.set_exception(outcome)
    else:
        answer.set_result(outcome)


def _settle_all(answers: list[tuple[_Answer, _Outcome]]) -> None:
    for answer, outcome in answers:
        _settle(answer, outcome)
