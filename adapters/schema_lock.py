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
from application.errors import StoreUnreachable

LOCK_FILE = ".schema.lock"


@contextmanager
def schema_creation(settings: Settings) -> Iterator[None]:
    """Held while the caller creates (or finds) the store's tables."""
    if settings.store == "postgres":
        with _connected(settings) as connection:
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


def _connected(settings: Settings) -> psycopg.Connection[tuple[object, ...]]:
    try:
        return psycopg.connect(settings.postgres_conninfo(), autocommit=True)
    except psycopg.OperationalError as error:
        raise StoreUnreachable(_why(settings, error)) from None


def _why(settings: Settings, error: psycopg.OperationalError) -> str:
    where = f"{settings.postgres_host}:{settings.postgres_port}"
    name = settings.postgres_dbname
    if _database_missing(settings):
        return (
            f'the PostgreSQL database "{name}" does not exist on {where}; create it with '
            f"createdb -h {settings.postgres_host} -p {settings.postgres_port} -U {settings.postgres_user} {name}"
        )
    # The driver's first line names the host and the reason, never a password.
    return f"PostgreSQL at {where} cannot be reached: {str(error).splitlines()[0]}"


def _database_missing(settings: Settings) -> bool:
    # A refused connection does not say why in a code; the server's catalogue does.
    try:
        with psycopg.connect(settings.postgres_conninfo(), dbname="postgres", autocommit=True) as connection:
            return (
                connection.execute(
                    "SELECT 1 FROM pg_database WHERE datname = %s", (settings.postgres_dbname,)
                ).fetchone()
                is None
            )
    except psycopg.Error:
        return False
