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
from types import TracebackType
from typing import ClassVar

from eventsourcing.persistence import InfrastructureFactory
from eventsourcing.postgres import PostgresDatastore, PostgresFactory
from eventsourcing.utils import Environment
from psycopg_pool import PoolTimeout

_OVERFLOW_IDLE_SECONDS = 60.0


class SharedPoolFactory(PostgresFactory):
    _shared: ClassVar[dict[frozenset[tuple[str, str]], tuple[PostgresDatastore, int]]] = {}
    # Re-entrant: the collector may run an old application's __del__ (its close) in the
    # middle of a new one's __init__ on the same thread, which deadlocked a plain lock.
    _lock: ClassVar[threading.RLock] = threading.RLock()

    def __init__(self, env: Environment) -> None:
        # The library's base factory, without the datastore its own __init__ would build.
        InfrastructureFactory.__init__(self, env)
        # Without the application's name, keys such as INTAKE_POSTGRES_POOL_SIZE do not apply.
        process_wide = Environment(env=dict(env))
        self._key = frozenset((key, value) for key, value in process_wide.items() if key.startswith("POSTGRES_"))
        with self._lock:
            datastore, users = self._shared.get(self._key) or (open_datastore(process_wide), 0)
            self._shared[self._key] = (datastore, users + 1)
        self.datastore = datastore
        self._released = False

    def close(self) -> None:
        with self._lock:
            if self._released:
                return
            self._released = True
            datastore, users = self._shared[self._key]
            if users > 1:
                self._shared[self._key] = (datastore, users - 1)
                return
            del self._shared[self._key]
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
