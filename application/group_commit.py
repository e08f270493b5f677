"""Group commit: registrations arriving together are written in one transaction.

Committing one request per transaction makes every registration wait for its own flush to
disk. Here request threads hand their registration to one writer, which takes everything
waiting (up to a batch) and commits it with ``register_many``; each caller is answered only
after that commit, so a 201 still means the complaint is on disk. One bad or repeated
registration in a batch does not affect the others.
"""

import queue
import threading
from concurrent.futures import Future
from dataclasses import dataclass, field

from application.complaints import ComplaintService, NewComplaint, Registration

_STOP = object()


@dataclass
class _Waiting:
    command: NewComplaint
    answer: Future[Registration] = field(default_factory=Future)


class GroupCommit:
    def __init__(self, complaints: ComplaintService, *, max_batch: int = 256) -> None:
        self.complaints = complaints
        self.max_batch = max_batch
        self._queue: queue.SimpleQueue[_Waiting | object] = queue.SimpleQueue()
        self._writer = threading.Thread(target=self._write, name="group-commit", daemon=True)
        self._writer.start()

    def submit(self, command: NewComplaint) -> Future[Registration]:
        """The outcome arrives once the registration is committed (or refused)."""
        waiting = _Waiting(command)
        self._queue.put(waiting)
        return waiting.answer

    def register(self, command: NewComplaint) -> Registration:
        return self.submit(command).result()

    def close(self) -> None:
        self._queue.put(_STOP)
        self._writer.join(timeout=10)

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
        try:
            outcomes = self.complaints.register_many([w.command for w in batch])
        except Exception as failure:  # the store failed: every caller in the batch learns why
            for waiting in batch:
                waiting.answer.set_exception(failure)
            return
        for waiting, outcome in zip(batch, outcomes, strict=True):
            if isinstance(outcome, Exception):
                waiting.answer.set_exception(outcome)
            else:
                waiting.answer.set_result(outcome)
