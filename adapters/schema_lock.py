"""Creating a store's tables one process at a time.

Every process creates the tables it needs as it starts: the library's recorders and the
views run ``CREATE ... IF NOT EXISTS``, ``CREATE OR REPLACE FUNCTION`` and record a first
tracking row. Run at one moment by several processes on a new store, those statements fail:
PostgreSQL answers "tuple concurrently updated" or a duplicate key in its catalogue, and
SQLite "database is locked" to a second switch to WAL, or a duplicate tracking row. API
workers with their child processes, and an import's children, start together; so the
creation takes turns, under a PostgreSQL advisory lock named after the schema or a lock on
a file in the SQLite data folder, held while a process builds its services (a second or
two). The wait is unbounded: a process that hangs holding the lock holds up the others' start.
"""

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg

from adapters.config import Settings

LOCK_FILE = ".schema.lock"


@contextmanager
def schema_creation(settings: Settings) -> Iterator[None]:
    """Held while the caller creates (or finds) the store's tables."""
    if settings.store == "postgres":
        with psycopg.connect(settings.postgres_conninfo(), autocommit=True) as connection:
            # A session lock: released when the connection closes, whatever happened inside.
            connection.execute("SELECT pg_advisory_lock(hashtext(%s))", (f"mcu:{settings.postgres_schema}",))
            yield
    elif settings.store == "sqlite":
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        with open(settings.data_dir / LOCK_FILE, "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
            yield
    else:
        yield
