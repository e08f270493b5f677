"""Rule-based triage of Russian citizens' posts (see ``application.triage``).

City knowledge (streets, landmarks, microdistricts, districts) lives in
``data/<city>/``; language knowledge (street types, keyword rules) in
``data/<language>/``. Another city is another data folder.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from adapters.triage.address import AddressExtractor, AddressWords
from adapters.triage.classify import load_classifier
from adapters.triage.gazetteer import load_gazetteer, load_street_types
from adapters.triage.morphology import Morphology
from adapters.triage.rule_based import RuleBasedTriage
from application.triage import Triage

DATA_DIR = Path(__file__).resolve().parent / "data"

__all__ = ["DATA_DIR", "RuleBasedTriage", "build_triage", "city_districts"]


@cache
def _morphology() -> Morphology:
    return Morphology()


def city_districts(city: str = "rostov") -> tuple[str, ...]:
    """The city's districts, as its data folder names them (and triage finds them)."""
    return tuple(_city_config(city)["districts"])


def _city_config(city: str) -> dict:
    city_dir = DATA_DIR / city
    if not (city_dir / "city.json").is_file():
        raise ValueError(f"no triage data for city {city!r}")
    return json.loads((city_dir / "city.json").read_text(encoding="utf-8"))


def build_triage(city: str = "rostov") -> Triage:
    """The triage for ``city``, loaded once per process from its data folder."""
    return _build(city)


@cache
def _build(city: str) -> Triage:
    city_dir = DATA_DIR / city
    config = _city_config(city)
    language_dir = DATA_DIR / config["language"]
    morph = _morphology()
    words = AddressWords.load(language_dir / "address.json")
    street_types = load_street_types(language_dir / "street_types.csv", morph)
    gazetteer = load_gazetteer(city_dir, street_types, config["districts"], words.skip_in_names, morph)
    return RuleBasedTriage(
        morph=morph,
        abbreviations=words.abbreviations,
        extractor=AddressExtractor(gazetteer, words, morph),
        classifier=load_classifier(language_dir, morph),
    )
