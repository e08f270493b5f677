"""Stores of citizens' keys: in memory, in the SQLite file, in PostgreSQL.

The subject (e.g. ``vk:id777``) is never stored: rows are found by an HMAC of it under the
service's key, so the table alone does not say who the citizens are. Each sealed value names
a reference of its own, a random id mapped here to its citizen's key; forgetting deletes the
key and every reference to it, so what remains in the history no longer links one citizen's
complaints to each other.
"""

import hashlib
import hmac
import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from threading import Lock
from types import ModuleType
from uuid import UUID

import psycopg
from eventsourcing.persistence import (
    DatabaseError,
    DataError,
    IntegrityError,
    InterfaceError,
    InternalError,
    NotSupportedError,
    OperationalError,
    PersistenceError,
    ProgrammingError,
)
from psycopg import sql
from psycopg_pool import ConnectionPool


def _subject_hash(pepper: bytes, subject: str) -> str:
    return hmac.new(pepper, subject.encode("utf-8"), hashlib.sha256).hexdigest()


def _new_keys(count: int) -> list[tuple[UUID, bytes]]:
    """Key ids and 256-bit keys, from one read of the system's randomness for the lot."""
    random = os.urandom(48 * count)
    return [(UUID(bytes=random[at : at + 16], version=4), random[at + 16 : at + 48]) for at in range(0, 48 * count, 48)]


def _new_references(count: int) -> list[str]:
    """128 random bits each, as 32 hex digits (PostgreSQL reads them as a UUID)."""
    random = os.urandom(16 * count).hex()
    return [random[at : at + 32] for at in range(0, 32 * count, 32)]


# SQLite allows 32,766 parameters to a statement; batches stay well below.
_SELECT_CHUNK = 1000

# The library's error for each of a driver's (PEP 249 names both drivers' alike), the more
# specific first.
_LIBRARY_ERRORS = {
    "InterfaceError": InterfaceError,
    "DataError": DataError,
    "OperationalError": OperationalError,
    "IntegrityError": IntegrityError,
    "InternalError": InternalError,
    "ProgrammingError": ProgrammingError,
    "NotSupportedError": NotSupportedError,
    "DatabaseError": DatabaseError,
}


@contextmanager
def _library_errors(driver: ModuleType) -> Iterator[None]:
    """Raises the driver's errors as the eventsourcing library's of the same name, as its recorders
    do for the event store: keys out of reach are the store unavailable, and nothing above the
    adapters names a driver."""
    try:
        yield
    except driver.Error as error:
        ours = next(
            (ours for name, ours in _LIBRARY_ERRORS.items() if isinstance(error, getattr(driver, name))),
            PersistenceError,
        )
        raise ours(str(error)) from error


class MemoryCitizenKeys:
    def __init__(self, pepper: bytes) -> None:
        self._pepper = pepper
        self._by_subject: dict[str, UUID] = {}
        self._keys: dict[UUID, bytes] = {}
        self._references: dict[str, UUID] = {}
        self._lock = Lock()

    def references_for(self, subjects: Sequence[str]) -> list[tuple[str, bytes]]:
        with self._lock:
            found = []
            for subject, reference in zip(subjects, _new_references(len(subjects)), strict=True):
                digest = _subject_hash(self._pepper, subject)
                if digest not in self._by_subject:
                    ((key_id, key),) = _new_keys(1)
                    self._by_subject[digest], self._keys[key_id] = key_id, key
                key_id = self._by_subject[digest]
                self._references[reference] = key_id
                found.append((reference, self._keys[key_id]))
            return found

    def referenced_key(self, reference: str) -> bytes | None:
        with self._lock:
            key_id = self._references.get(reference)
            return None if key_id is None else self._keys.get(key_id)

    def key(self, key_id: UUID) -> bytes | None:
        return self._keys.get(key_id)

    def close(self) -> None:
        """Nothing to release."""

    def forget(self, subject: str) -> bool:
        with self._lock:
            key_id = self._by_subject.pop(_subject_hash(self._pepper, subject), None)
            if key_id is None:
                return False
            self._references = {reference: of for reference, of in self._references.items() if of != key_id}
            return self._keys.pop(key_id, None) is not None


class SQLiteCitizenKeys:
    """Kept in a file of its own, so a copy of the event store never carries the keys."""

    def __init__(self, path: Path, pepper: bytes) -> None:
        self._pepper = pepper
        self._lock = Lock()
        self._conn = sqlite3.connect(path, timeout=10, isolation_level=None, check_same_thread=False)
        # A deleted key is overwritten on disk, not left in a free page.
        self._conn.execute("PRAGMA secure_delete = ON")
        self._conn.execute("PRAGMA journal_mode = WAL")
        # Forgetting a key deletes the references to it with it.
        self._conn.execute("PRAGMA foreign_keys = ON")
        self._conn.execute(
            "CREATE TABLE IF NOT EXISTS citizen_keys ("
            "subject_hash TEXT PRIMARY KEY, key_id TEXT UNIQUE NOT NULL, key BLOB NOT NULL)"
        )
        self._conn.execute(
            "CREATE TABLE IF NOT EXISTS citizen_key_references (reference TEXT PRIMARY KEY, "
            "key_id TEXT NOT NULL REFERENCES citizen_keys (key_id) ON DELETE CASCADE)"
        )
        self._conn.execute(
            "CREATE INDEX IF NOT EXISTS citizen_key_references_by_key ON citizen_key_references (key_id)"
        )

    def references_for(self, subjects: Sequence[str]) -> list[tuple[str, bytes]]:
        digests = [_subject_hash(self._pepper, subject) for subject in subjects]
        wanted = list(set(digests))
        references = _new_references(len(digests))
        with self._lock, _library_errors(sqlite3):
            # The write lock first: a second process cannot give the same citizen another key.
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                # Key ids as the table holds them (text), converted once per citizen.
                by_digest: dict[str, tuple[str, bytes]] = {}
                for start in range(0, len(wanted), _SELECT_CHUNK):
                    chunk = wanted[start : start + _SELECT_CHUNK]
                    rows = self._conn.execute(
                        "SELECT subject_hash, key_id, key FROM citizen_keys "
                        f"WHERE subject_hash IN ({','.join('?' * len(chunk))})",
                        chunk,
                    )
                    by_digest.update((digest, (key_id, bytes(key))) for digest, key_id, key in rows)
                missing = [digest for digest in wanted if digest not in by_digest]
                fresh = {
                    digest: (str(key_id), key)
                    for digest, (key_id, key) in zip(missing, _new_keys(len(missing)), strict=True)
                }
                self._conn.executemany(
                    "INSERT INTO citizen_keys VALUES (?, ?, ?)",
                    [(digest, key_id, key) for digest, (key_id, key) in fresh.items()],
                )
                by_digest.update(fresh)
                self._conn.executemany(
                    "INSERT INTO citizen_key_references VALUES (?, ?)",
                    [(ref, by_digest[digest][0]) for ref, digest in zip(references, digests, strict=True)],
                )
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
        return [(ref, by_digest[digest][1]) for ref, digest in zip(references, digests, strict=True)]

    def referenced_key(self, reference: str) -> bytes | None:
        return self._one(
            "SELECT k.key FROM citizen_key_references r JOIN citizen_keys k ON k.key_id = r.key_id "
            "WHERE r.reference = ?",
            reference,
        )

    def key(self, key_id: UUID) -> bytes | None:
        return self._one("SELECT key FROM citizen_keys WHERE key_id = ?", str(key_id))

    def _one(self, query: str, id_: str) -> bytes | None:
        with self._lock, _library_errors(sqlite3):
            row = self._conn.execute(query, (id_,)).fetchone()
        return None if row is None else bytes(row[0])

    def forget(self, subject: str) -> bool:
        with self._lock, _library_errors(sqlite3):
            deleted = self._conn.execute(
                "DELETE FROM citizen_keys WHERE subject_hash = ?", (_subject_hash(self._pepper, subject),)
            ).rowcount
            # The write-ahead log would otherwise keep the old pages until the next checkpoint.
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return deleted > 0

    def close(self) -> None:
        self._conn.close()


class PostgresCitizenKeys:
    def __init__(self, conninfo: str, schema: str, pepper: bytes, *, pool_size: int = 2) -> None:
        self._pepper = pepper
        self._table = sql.Identifier(schema or "public", "citizen_keys")
        self._references = sql.Identifier(schema or "public", "citizen_key_references")
        self._pool = ConnectionPool(
            conninfo,
            min_size=1,
            max_size=pool_size,
            kwargs={"autocommit": True},
            check=ConnectionPool.check_connection,
            open=True,
        )
        with self._connect() as conn:
            conn.execute(
                sql.SQL(
                    "CREATE TABLE IF NOT EXISTS {} (subject_hash TEXT PRIMARY KEY, "
                    "key_id UUID UNIQUE NOT NULL, key BYTEA NOT NULL)"
                ).format(self._table)
            )
            # Forgetting a key deletes the references to it with it.
            conn.execute(
                sql.SQL(
                    "CREATE TABLE IF NOT EXISTS {} (reference UUID PRIMARY KEY, "
                    "key_id UUID NOT NULL REFERENCES {} (key_id) ON DELETE CASCADE)"
                ).format(self._references, self._table)
            )
            conn.execute(
                sql.SQL("CREATE INDEX IF NOT EXISTS citizen_key_references_by_key ON {} (key_id)").format(
                    self._references
                )
            )

    @contextmanager
    def _connect(self) -> Iterator[psycopg.Connection]:
        # A pool that cannot connect in time raises PoolTimeout, a psycopg.OperationalError.
        with _library_errors(psycopg), self._pool.connection() as conn:
            yield conn

    def close(self) -> None:
        self._pool.close()

    def references_for(self, subjects: Sequence[str]) -> list[tuple[str, bytes]]:
        digests = [_subject_hash(self._pepper, subject) for subject in subjects]
        wanted = list(set(digests))
        references = _new_references(len(digests))
        with self._connect() as conn, conn.transaction(), conn.cursor() as cursor:
            cursor.executemany(
                sql.SQL("INSERT INTO {} VALUES (%s, %s, %s) ON CONFLICT (subject_hash) DO NOTHING").format(self._table),
                [(digest, key_id, key) for digest, (key_id, key) in zip(wanted, _new_keys(len(wanted)), strict=True)],
            )
            cursor.execute(
                sql.SQL("SELECT subject_hash, key_id, key FROM {} WHERE subject_hash = ANY(%s)").format(self._table),
                (wanted,),
            )
            by_digest = {row[0]: (row[1], bytes(row[2])) for row in cursor.fetchall()}
            cursor.executemany(
                sql.SQL("INSERT INTO {} VALUES (%s, %s)").format(self._references),
                [(ref, by_digest[digest][0]) for ref, digest in zip(references, digests, strict=True)],
            )
        return [(ref, by_digest[digest][1]) for ref, digest in zip(references, digests, strict=True)]

    def referenced_key(self, reference: str) -> bytes | None:
        query = sql.SQL("SELECT k.key FROM {} r JOIN {} k ON k.key_id = r.key_id WHERE r.reference = %s")
        return self._one(query.format(self._references, self._table), reference)

    def key(self, key_id: UUID) -> bytes | None:
        return self._one(sql.SQL("SELECT key FROM {} WHERE key_id = %s").format(self._table), key_id)

    def _one(self, query: sql.Composed, id_: UUID | str) -> bytes | None:
        with self._connect() as conn:
            row = conn.execute(query, (id_,)).fetchone()
        return None if row is None else bytes(row[0])

    def forget(self, subject: str) -> bool:
        with self._connect() as conn:
            deleted = conn.execute(
                sql.SQL("DELETE FROM {} WHERE subject_hash = %s").format(self._table),
                (_subject_hash(self._pepper, subject),),
            ).rowcount
            # Dead row versions keep the key bytes, and which references were one citizen's, until vacuumed.
            conn.execute(sql.SQL("VACUUM {}, {}").format(self._table, self._references))
        return deleted > 0
