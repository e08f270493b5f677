"""The three stores of citizens' keys keep one contract: one key per citizen, made on first use,
the same afterwards, gone once forgotten."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from adapters.citizen_keys import MemoryCitizenKeys, PostgresCitizenKeys, SQLiteCitizenKeys
from adapters.config import Settings
from application.personal_data import CitizenKeys

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


def test_a_citizen_gets_one_key_made_on_first_use(keys: CitizenKeys) -> None:
    first = keys.keys_for(["vk:1", "vk:2", "vk:1"])
    assert set(first) == {"vk:1", "vk:2"}
    assert first["vk:1"] != first["vk:2"]
    assert all(len(key) == 32 and key_id.version == 4 for key_id, key in first.values())
    again = keys.keys_for(["vk:2", "vk:3", "vk:1"])
    assert again["vk:1"] == first["vk:1"] and again["vk:2"] == first["vk:2"]
    assert again["vk:3"] not in first.values()
    assert keys.key(first["vk:2"][0]) == first["vk:2"][1]


def test_a_forgotten_citizens_key_is_gone_and_a_new_one_is_made_later(keys: CitizenKeys) -> None:
    before = keys.keys_for(["tg:7"])["tg:7"]
    assert keys.forget("tg:7") is True
    assert keys.key(before[0]) is None
    assert keys.forget("tg:7") is False
    assert keys.keys_for(["tg:7"])["tg:7"] != before


def test_many_citizens_at_once(keys: CitizenKeys) -> None:
    subjects = [f"ok:{n}" for n in range(2500)]
    made = keys.keys_for(subjects)
    assert len({key_id for key_id, _ in made.values()}) == 2500
    assert keys.keys_for(subjects[::-1]) == made
