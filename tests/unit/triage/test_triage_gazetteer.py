import csv

import pytest

from adapters.triage import DATA_DIR, build_triage
from adapters.triage.address import AddressWords
from adapters.triage.document import make_document
from adapters.triage.gazetteer import (
    LANDMARK,
    MICRODISTRICT,
    STREET,
    load_gazetteer,
    load_street_types,
)
from adapters.triage.morphology import Morphology

ROSTOV = DATA_DIR / "rostov"


@pytest.fixture(scope="module")
def morph():
    return Morphology()


@pytest.fixture(scope="module")
def gazetteer(morph):
    import json

    city = json.loads((ROSTOV / "city.json").read_text(encoding="utf-8"))
    words = AddressWords.load(DATA_DIR / "ru" / "address.json")
    types = load_street_types(DATA_DIR / "ru" / "street_types.csv", morph)
    return load_gazetteer(ROSTOV, types, city["districts"], words.skip_in_names, morph), words


def _rows(name):
    with (ROSTOV / name).open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_gazetteer_covers_the_city(gazetteer):
    places = gazetteer[0].places
    streets = [p for p in places if p.kind == STREET]
    assert len(streets) >= 200
    assert len([p for p in places if p.kind == MICRODISTRICT]) >= 12
    assert len([p for p in places if p.kind == LANDMARK]) >= 10
    assert len({p.name for p in streets}) == len(streets), "duplicate street"


def test_every_district_in_the_data_is_one_of_the_eight(gazetteer):
    districts = set(gazetteer[0].districts)
    assert len(districts) == 8
    assert {p.district for p in gazetteer[0].places} <= districts | {None}


@pytest.mark.parametrize("file", ["streets.csv", "landmarks.csv", "microdistricts.csv"])
def test_every_name_and_alias_finds_its_own_place(gazetteer, morph, file):
    gz, words = gazetteer
    for row in _rows(file):
        for name in [row["name"], *filter(None, row["aliases"].split("|"))]:
            doc = make_document(name, morph, words.abbreviations)
            found = gz.find(doc)
            assert found, name
            assert row["name"] in [p.name for p in found[0].places], name


def test_unknown_district_is_rejected(tmp_path, morph):
    (tmp_path / "landmarks.csv").write_text("name,role,district,aliases\n", encoding="utf-8")
    (tmp_path / "microdistricts.csv").write_text("name,district,aliases\n", encoding="utf-8")
    (tmp_path / "district_ranges.csv").write_text("street,from,to,district\n", encoding="utf-8")
    (tmp_path / "streets.csv").write_text("name,type,district,aliases\nЗорге,улица,Центральный,\n", encoding="utf-8")
    types = load_street_types(DATA_DIR / "ru" / "street_types.csv", morph)
    with pytest.raises(ValueError, match="unknown district"):
        load_gazetteer(tmp_path, types, ["Советский"], frozenset(), morph)


def test_build_triage_is_cached_and_knows_only_configured_cities():
    assert build_triage() is build_triage("rostov")
    with pytest.raises(ValueError):
        build_triage("atlantis")
