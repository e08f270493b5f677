"""The embedded projections in a process of their own, beside an API worker.

Applying events to the views costs CPU the worker needs for HTTP, and one Python process runs
Python on one core at a time: in the worker they took 40% of its registrations. The child
follows the store as `mcu project` does; the worker's queries still wait for the views to
reach their own writes, because both read the positions from the views' store. The child
reports each projection's failure once a second (for /health) and is restarted if it dies.
"""

import os
import threading
from multiprocessing.connection import Connection

import msgspec

from adapters.config import Settings
from application.projections.readmodels import ReadModels
from interfaces import heap
from interfaces.child_process import spawn, stop
from interfaces.services import build_services

_encode = msgspec.json.Encoder().encode
_decode_failures = msgspec.json.Decoder(dict[str, str | None]).decode
_REPORT_SECONDS = 1.0
_NICENESS = 5


def _follow(connection: Connection, settings: Settings) -> None:
    # Behind registrations and queries for the CPU: a view may lag under a burst (queries wait
    # for it, up to MCU_READ_WAIT_SECONDS) and catches up as soon as the burst is over.
    os.nice(_NICENESS)
    services = build_services(settings)
    heap.settle()
    read_models = services.read_models
    read_models.start()
    try:
        connection.send_bytes(_encode({name: None for name in read_models.projectors}))
        while True:
            if connection.poll(_REPORT_SECONDS):
                connection.recv_bytes()  # the worker sends nothing: this is its end closing
            connection.send_bytes(_encode({name: p.failure for name, p in read_models.projectors.items()}))
    except (EOFError, OSError):
        return
    finally:
        services.close()


class ProjectionProcess:
    def __init__(self, settings: Settings, read_models: ReadModels) -> None:
        self._settings = settings
        self._read_models = read_models
        self._stopping = threading.Event()
        self._following = threading.Event()
        self._watch: threading.Thread | None = None
        self.pid: int | None = None  # of the child following the store now

    def start(self, *, wait_seconds: float = 30) -> None:
        """Returns once the child follows the store, so the worker answers no query before."""
        self._stopping.clear()
        self._watch = threading.Thread(target=self._keep_running, name="projection-process", daemon=True)
        self._watch.start()
        self._following.wait(wait_seconds)

    def stop(self) -> None:
        self._stopping.set()
        if self._watch is not None:
            self._watch.join(timeout=15)
            self._watch = None

    def _keep_running(self) -> None:
        while not self._stopping.is_set():
            child, ours = spawn(_follow, self._settings, "mcu-projections")
            self.pid = child.pid
            try:
                self._relay_failures(ours)
            finally:
                stop(child, ours)  # the child stops its projections and closes its store
            self._stopping.wait(_REPORT_SECONDS)  # a child that died is started again

    def _relay_failures(self, connection: Connection) -> None:
        while not self._stopping.is_set():
            if not connection.poll(_REPORT_SECONDS):
                continue
            try:
                failures = _decode_failures(connection.recv_bytes())
            except (EOFError, OSError):
                return
            self._following.set()
            for name, failure in failures.items():
                projector = self._read_models.projectors.get(name)
                if projector is not None:
                    projector.failure = failure
