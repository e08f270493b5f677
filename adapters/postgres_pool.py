"""One connection pool per process for every application object on one PostgreSQL schema.

The library's factory builds a datastore, hence a pool, per application object: complaints,
tokens, audit, intake, replies and Open311 records each kept their own connections open, and
an idle API worker with its two child processes held 43, so three idle servers exhausted
PostgreSQL's default ``max_connections`` (100). This factory is the library's, except that
applications with the same connection settings share one datastore, counted, and closed with
the last of them. The pool's size is the process's (MCU_POSTGRES_POOL_SIZE and
MCU_POSTGRES_MAX_OVERFLOW), never one application's override.
"""

import threading
from collections import deque
from types import TracebackType
from typing import ClassVar

from eventsourcing.persistence import InfrastructureFactory
from eventsourcing.postgres import PostgresDatastore, PostgresFactory
from eventsourcing.utils import Environment
from psycopg_pool import PoolTimeout

_OVERFLOW_IDLE_SECONDS = 60.0


class SharedPoolFactory(PostgresFactory):
    _shared: ClassVar[dict[frozenset[tuple[str, str]], tuple[PostgresDatastore, int]]] = {}
    _lock: ClassVar[threading.Lock] = threading.Lock()
    # Releases waiting for the lock. Closing never waits for it: the collector runs an old
    # application's __del__ (its close) on whatever thread it interrupts, even a pool worker
    # that a new application's __init__, holding the lock, is waiting to see started.
    _releases: ClassVar[deque[frozenset[tuple[str, str]]]] = deque()

    def __init__(self, env: Environment) -> None:
        # The library's base factory, without the datastore its own __init__ would build.
        InfrastructureFactory.__init__(self, env)
        # Without the application's name, keys such as INTAKE_POSTGRES_POOL_SIZE do not apply.
        process_wide = Environment(env=dict(env))
        self._key = frozenset((key, value) for key, value in process_wide.items() if key.startswith("POSTGRES_"))
        with self._lock:
            datastore, users = self._shared.get(self._key) or (open_datastore(process_wide), 0)
            self._shared[self._key] = (datastore, users + 1)
        self._settle()
        self.datastore = datastore
        self._released = False

    def close(self) -> None:
        if self._released:
            return
        self._released = True
        self._releases.append(self._key)
        self._settle()

    @classmethod
    def _settle(cls) -> None:
        """Applies the releases queued so far, closing a datastore with its last user, unless
        another thread holds the lock: that thread applies them as it leaves."""
        while cls._releases and cls._lock.acquire(blocking=False):
            unused: list[PostgresDatastore] = []
            try:
                while cls._releases:
                    key = cls._releases.popleft()
                    datastore, users = cls._shared[key]
                    if users > 1:
                        cls._shared[key] = (datastore, users - 1)
                    else:
                        del cls._shared[key]
                        unused.append(datastore)
            finally:
                cls._lock.release()
            for datastore in unused:
                datastore.close()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc_val: BaseException | None, exc_tb: TracebackType | None
    ) -> None:
        # The library's would close the datastore itself, under every other user of it.
        InfrastructureFactory.__exit__(self, exc_type, exc_val, exc_tb)
        self.close()


def open_datastore(env: Environment) -> PostgresDatastore:
    """The library's datastore for ``env``, its pool opened and sized for a process."""
    datastore = _datastore(env)
    # Opened here, waiting for its first connections: opened in the background on first use (the
    # library's way), it grew past its size for the first statements of a start and kept the
    # extra connections. (Not the library's pool_open_timeout: that waits on every use until
    # the pool is full again, and concurrent waits fail an assertion in psycopg_pool.)
    try:
        datastore.pool.open(wait=True, timeout=float(env.get(PostgresFactory.POSTGRES_CONNECT_TIMEOUT) or 30))
    except PoolTimeout:
        # psycopg_pool closes a pool that did not fill in time, for good: handed out, its every
        # statement failed with PoolClosed (a loaded machine's test, a server slow to start).
        # A fresh pool, opened by the library on first use, waits for the server or reports
        # the server's own error.
        datastore = _datastore(env)
    return datastore


def _datastore(env: Environment) -> PostgresDatastore:
    datastore = PostgresFactory(env).datastore
    # Connections opened under load beyond the pool's size are closed after a minute unused.
    datastore.pool.max_idle = _OVERFLOW_IDLE_SECONDS
    return datastore
