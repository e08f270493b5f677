"""The three stores of citizens' keys keep one contract: one key per citizen, made on first use,
the same afterwards, a new reference to it for every sealed record, all gone once forgotten."""

import hashlib
import hmac
import json
import os
import sqlite3
from base64 import b64encode
from collections.abc import Iterator
from pathlib import Path
from uuid import uuid4

import psycopg
import psycopg.sql
import pytest
from eventsourcing.cryptography import AESCipher
from eventsourcing.persistence import OperationalError, PersistenceError
from eventsourcing.utils import Environment

from adapters.citizen_keys import MemoryCitizenKeys, PostgresCitizenKeys, SQLiteCitizenKeys
from adapters.config import Settings
from application.personal_data import KEY_ID_PREFIX, PREFIX, AuthorDetails, CitizenKeys, Origin, PersonalData

PEPPER = b"pepper"


@pytest.fixture(params=["memory", "sqlite", "postgres"])
def keys(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[CitizenKeys]:
    if request.param == "memory":
        store: CitizenKeys = MemoryCitizenKeys(PEPPER)
    elif request.param == "sqlite":
        store = SQLiteCitizenKeys(tmp_path / "keys.sqlite3", PEPPER)
    else:
        settings: Settings = request.getfixturevalue("postgres_settings")
        store = PostgresCitizenKeys(settings.postgres_conninfo(), settings.postgres_schema, PEPPER)
    yield store
    store.close()


def test_a_citizen_gets_one_key_made_on_first_use_and_a_new_reference_each_time(keys: CitizenKeys) -> None:
    first = keys.references_for(["vk:1", "vk:2", "vk:1"])
    references = [reference for reference, _ in first]
    assert len(set(references)) == 3 and all(len(bytes.fromhex(reference)) == 16 for reference in references)
    assert all(len(key) == 32 for _, key in first)
    assert first[0][1] == first[2][1] != first[1][1]
    again = keys.references_for(["vk:2", "vk:3", "vk:1"])
    assert again[0][1] == first[1][1] and again[2][1] == first[0][1]
    assert again[1][1] not in {key for _, key in first}
    assert set(references).isdisjoint(reference for reference, _ in again)
    assert [keys.referenced_key(reference) for reference, _ in first] == [key for _, key in first]


def test_a_forgotten_citizens_key_and_all_references_to_it_are_gone(keys: CitizenKeys) -> None:
    before = keys.references_for(["tg:7", "tg:7", "tg:8"])
    assert keys.forget("tg:7") is True
    assert keys.referenced_key(before[0][0]) is None and keys.referenced_key(before[1][0]) is None
    assert keys.referenced_key(before[2][0]) == before[2][1]
    assert keys.forget("tg:7") is False
    assert keys.references_for(["tg:7"])[0][1] != before[0][1]


def test_many_citizens_at_once(keys: CitizenKeys) -> None:
    subjects = [f"ok:{n}" for n in range(2500)]
    made = keys.references_for(subjects)
    assert len({key for _, key in made}) == 2500
    assert [key for _, key in keys.references_for(subjects[::-1])] == [key for _, key in made[::-1]]


@pytest.mark.parametrize("store", ["sqlite", "postgres"])
def test_values_sealed_under_the_key_id_before_references_still_open_until_forgotten(
    store: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """A store written before references (only the key table) and a value sealed then (pd1:)."""
    key_id, key = uuid4(), os.urandom(32)
    digest = hmac.new(PEPPER, b"tg:5", hashlib.sha256).hexdigest()
    if store == "sqlite":
        path = tmp_path / "keys.sqlite3"
        with sqlite3.connect(path) as conn:
            conn.execute("CREATE TABLE citizen_keys (subject_hash TEXT PRIMARY KEY, key_id TEXT UNIQUE, key BLOB)")
            conn.execute("INSERT INTO citizen_keys VALUES (?, ?, ?)", (digest, str(key_id), key))
        keys: CitizenKeys = SQLiteCitizenKeys(path, PEPPER)
    else:
        settings: Settings = request.getfixturevalue("postgres_settings")
        table = psycopg.sql.Identifier(settings.postgres_schema, "citizen_keys")
        with psycopg.connect(settings.postgres_conninfo(), autocommit=True) as conn:
            conn.execute(
                psycopg.sql.SQL(
                    "CREATE TABLE {} (subject_hash TEXT PRIMARY KEY, key_id UUID UNIQUE, key BYTEA)"
                ).format(table)
            )
            conn.execute(psycopg.sql.SQL("INSERT INTO {} VALUES (%s, %s, %s)").format(table), (digest, key_id, key))
        keys = PostgresCitizenKeys(settings.postgres_conninfo(), settings.postgres_schema, PEPPER)
    try:
        cipher = AESCipher(Environment(env={AESCipher.CIPHER_KEY: b64encode(key).decode("ascii")}))
        author = json.dumps({"ref": "tg:5", "name": "Анна", "phone": None, "email": None}).encode()
        sealed = f"{KEY_ID_PREFIX}{key_id}:{b64encode(cipher.encrypt(author)).decode('ascii')}"
        personal_data = PersonalData(keys)
        assert personal_data.open(sealed) == AuthorDetails(ref="tg:5", name="Анна")
        # The citizen's new complaints are sealed under the same key, by references of their own.
        (new,) = personal_data.seal([Origin(channel="telegram", source_ref="5/2", author=AuthorDetails(ref="tg:5"))])
        assert new.author_ref.startswith(PREFIX) and str(key_id) not in new.author_ref
        assert personal_data.forget("tg:5") is True
        assert personal_data.open(sealed) is None and personal_data.open_ref(new.source_ref) is None
    finally:
        keys.close()


@pytest.mark.parametrize("store", ["sqlite", "postgres"])
def test_a_drivers_error_comes_out_as_the_librarys_of_the_same_name(
    store: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """Nothing above the adapters names a driver: the API maps the library's errors alone."""
    keys: CitizenKeys
    if store == "sqlite":
        path, driver = tmp_path / "keys.sqlite3", sqlite3
        keys = SQLiteCitizenKeys(path, PEPPER)
        with sqlite3.connect(path) as conn:
            conn.execute("DROP TABLE citizen_key_references")
    else:
        settings: Settings = request.getfixturevalue("postgres_settings")
        driver = psycopg
        keys = PostgresCitizenKeys(settings.postgres_conninfo(), settings.postgres_schema, PEPPER)
        with psycopg.connect(settings.postgres_conninfo(), autocommit=True) as conn:
            conn.execute(
                psycopg.sql.SQL("DROP TABLE {}").format(
                    psycopg.sql.Identifier(settings.postgres_schema, "citizen_key_references")
                )
            )
    try:
        with pytest.raises(PersistenceError) as raised:
            keys.references_for(["vk:1"])
    finally:
        keys.close()
    assert isinstance(raised.value.__cause__, getattr(driver, type(raised.value).__name__))


def test_postgres_keys_without_connections_are_the_store_unavailable(postgres_settings: Settings) -> None:
    keys = PostgresCitizenKeys(postgres_settings.postgres_conninfo(), postgres_settings.postgres_schema, PEPPER)
    keys.close()  # psycopg_pool's PoolClosed, like its PoolTimeout for a server out of reach
    with pytest.raises(OperationalError):
        keys.references_for(["vk:1"])
