"""A city's streets, landmarks and microdistricts, and their lookup in a post.

Names are compiled once into per-word matchers so that the inflected forms citizens
write ("на Пушкинской", "в переулке Халтуринском", "по 20-й линии") find the canonical
entry without listing every form in the data:

* adjectival names ("Пушкинская", "Ворошиловский") match any case form of the
  adjective in the gender of the street type, so "Театральной" is the square and
  "Театральном" the avenue;
* nouns in the nominative inside longer names ("20-я линия", "парк Горького") match by
  lemma;
* everything else — mostly surnames in the genitive ("Нагибина", "Стачки") — is
  invariant in street names and matches its exact form.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from adapters.triage.document import Document
from adapters.triage.morphology import Analysis, Morphology
from adapters.triage.tokens import (
    NUMBER,
    ORDINAL,
    PUNCT,
    WORD,
    Token,
    fold,
    leading_number,
    ordinal_value,
    tokenize,
)

STREET = "street"
LANDMARK = "landmark"  # a place stored as the address itself: a park, a canal
POI = "poi"  # a named point on a street: a mall, a market
MICRODISTRICT = "microdistrict"

_FIXED = "fixed"
_ADJ = "adj"
_NOUN = "noun"
_NUM = "num"
_NAME_PUNCT = frozenset({".", "-", "«", "»", '"', "“", "”", "„"})


@dataclass(frozen=True, slots=True)
class Place:
    name: str
    kind: str
    street_type: str | None
    district: str | None


@dataclass(frozen=True, slots=True)
class StreetType:
    name: str
    gender: str
    words: frozenset[str]  # lemmas of the full word
    abbreviations: frozenset[str]  # folded forms as written: "ул", "пр-т"


@dataclass(frozen=True, slots=True)
class HouseRange:
    first: int
    last: int
    district: str


@dataclass(frozen=True, slots=True)
class _Part:
    kind: str
    keys: frozenset[str]  # the form, or every lemma the name word may have
    gender: str | None = None


@dataclass(frozen=True, slots=True)
class _Variant:
    place: Place
    parts: tuple[_Part, ...]


@dataclass(frozen=True, slots=True)
class PlaceMatch:
    places: tuple[Place, ...]  # every entry with this name, e.g. a street and a microdistrict
    start: int  # token index
    end: int  # token index after the name
    adjectival: bool  # the name ends in an adjective ("Советской"), so it can modify a noun


class Gazetteer:
    def __init__(
        self,
        places: list[tuple[Place, list[str]]],
        street_types: list[StreetType],
        house_ranges: dict[str, list[HouseRange]],
        districts: list[str],
        skip_words: frozenset[str],
        morph: Morphology,
    ) -> None:
        self.places = [p for p, _ in places]
        self.street_types = {t.name: t for t in street_types}
        self._type_by_abbreviation = {a: t for t in street_types for a in t.abbreviations}
        self._type_by_lemma = {w: t for t in street_types for w in t.words}
        self.districts = districts
        self._district_lemmas = {morph.lemma(d): d for d in districts}
        self._house_ranges = house_ranges
        self._skip_words = skip_words
        self._morph = morph
        self._index: dict[str, list[_Variant]] = defaultdict(list)
        for place, names in places:
            for name in names:
                variant = self._compile(place, name)
                for key in _keys(variant.parts[0]):
                    self._index[key].append(variant)

    # -- compiling names ---------------------------------------------------------------

    def _compile(self, place: Place, name: str) -> _Variant:
        tokens = [t for t in tokenize(name) if t.kind != PUNCT and t.low not in self._skip_words]
        analyses = [self._morph.analyse(t.low) if t.kind == WORD else None for t in tokens]
        gender = self._expected_gender(place, analyses)
        parts = tuple(
            self._compile_word(t, a, gender, place, several=len(tokens) > 1 or place.kind != STREET)
            for t, a in zip(tokens, analyses, strict=True)
        )
        return _Variant(place, parts)

    def _expected_gender(self, place: Place, analyses: list[Analysis | None]) -> str | None:
        # A longer name with a head noun agrees with that noun ("Гребной канал");
        # a bare adjectival street name agrees with its type ("Театральная площадь").
        if len(analyses) > 1 or place.kind != STREET:
            for a in reversed(analyses):
                noun = a and _nominative(a, "NOUN")
                if noun:
                    return noun
        if place.street_type is not None:
            return self.street_types[place.street_type].gender
        for a in analyses:
            adjective = a and _nominative(a, "ADJF")
            if adjective:
                return adjective
        return None

    def _compile_word(self, token: Token, a: Analysis | None, gender: str | None, place: Place, several: bool) -> _Part:
        if token.kind in (NUMBER, ORDINAL):
            return _Part(_NUM, frozenset({ordinal_value(token) or token.low}))
        assert a is not None
        # A surname in the genitive ("Закруткина", "Ларина") has a rare possessive-adjective
        # reading too; taken as an adjective it would seem to agree with the next noun
        # ("на Закруткина пробка") and stop being a street.
        surname = bool(a.readings) and a.readings[0].personal
        adjective = {
            r.lemma
            for r in a.readings
            if r.pos == "ADJF" and r.case == "nomn" and r.number == "sing" and r.gender == gender and not surname
        }
        if adjective:
            return _Part(_ADJ, frozenset(adjective), gender)
        if several:
            # Inside a street name a nominative noun must be a common one ("линия");
            # a microdistrict or park may be a proper name ("Сельмаш"), but never a
            # person's, whose name stays in the genitive ("парк Горького").
            noun = {
                r.lemma
                for r in a.readings
                if r.pos == "NOUN"
                and r.case == "nomn"
                and r.number == "sing"
                and not r.personal
                and (place.kind != STREET or not r.proper)
            }
            if noun:
                return _Part(_NOUN, frozenset(noun))
        return _Part(_FIXED, frozenset({token.low}))

    # -- lookups -----------------------------------------------------------------------

    def find(self, doc: Document) -> list[PlaceMatch]:
        """Longest place names in ``doc``, left to right, not overlapping."""
        matches: list[PlaceMatch] = []
        i = 0
        n = len(doc.tokens)
        while i < n:
            best_end = -1
            best: list[_Variant] = []
            for variant in self._candidates(doc, i):
                end = self._match(doc, i, variant)
                if end is None:
                    continue
                if end > best_end:
                    best_end, best = end, [variant]
                elif end == best_end and variant.place not in [v.place for v in best]:
                    best.append(variant)
            if best:
                adjectival = best[0].parts[-1].kind == _ADJ
                matches.append(PlaceMatch(tuple(v.place for v in best), i, best_end, adjectival))
                i = best_end
            else:
                i += 1
        return matches

    def _candidates(self, doc: Document, i: int) -> list[_Variant]:
        token = doc.tokens[i]
        if token.kind == PUNCT:
            return []
        if token.kind in (NUMBER, ORDINAL):
            value = ordinal_value(token)
            return self._index.get("#" + value, []) if value else []
        seen: list[_Variant] = []
        for key in doc.lemmas(i):
            seen.extend(self._index.get(key, ()))
        return seen

    def _match(self, doc: Document, i: int, variant: _Variant) -> int | None:
        j = i
        for k, part in enumerate(variant.parts):
            if k:
                while j < len(doc.tokens) and (
                    doc.tokens[j].low in _NAME_PUNCT or doc.tokens[j].low in self._skip_words
                ):
                    j += 1
            if j >= len(doc.tokens) or not _part_matches(doc, j, part):
                return None
            j += 1
        return j

    def street_type_at(self, token: Token, analysis: Analysis | None) -> StreetType | None:
        found = self._type_by_abbreviation.get(token.low)
        if found is None and analysis is not None:
            for lemma in analysis.lemmas:
                found = self._type_by_lemma.get(lemma)
                if found is not None:
                    break
        return found

    def district_named(self, analysis: Analysis | None) -> str | None:
        """The district an adjective names ("Советского" → "Советский"), if any."""
        if analysis is None or not analysis.lemmas & self._district_lemmas.keys():
            return None
        for r in analysis.readings:
            if r.pos == "ADJF" and r.lemma in self._district_lemmas:
                return self._district_lemmas[r.lemma]
        return None

    def district_of(self, place: Place, house: str | None) -> str | None:
        number = leading_number(house)
        if number is not None:
            for r in self._house_ranges.get(place.name, ()):
                if r.first <= number <= r.last:
                    return r.district
        return place.district


def _keys(part: _Part) -> frozenset[str]:
    return frozenset("#" + k for k in part.keys) if part.kind == _NUM else part.keys


def _nominative(a: Analysis, pos: str) -> str | None:
    for r in a.readings:
        if r.pos == pos and r.case == "nomn" and r.number == "sing" and not r.personal:
            return r.gender
    return None


def _part_matches(doc: Document, j: int, part: _Part) -> bool:
    token = doc.tokens[j]
    if part.kind == _NUM:
        return ordinal_value(token) in part.keys
    if token.kind != WORD:
        return False
    if part.kind == _FIXED:
        return token.low in part.keys
    a = doc.analyses[j]
    assert a is not None
    if part.kind == _ADJ:
        return any(
            r.pos == "ADJF" and r.lemma in part.keys and r.number == "sing" and r.gender == part.gender
            for r in a.readings
        )
    return any(r.pos == "NOUN" and r.lemma in part.keys for r in a.readings)


# -- loading -------------------------------------------------------------------------


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(f)]


def _names(row: dict[str, str]) -> list[str]:
    return [row["name"], *(a.strip() for a in row.get("aliases", "").split("|") if a.strip())]


def load_street_types(path: Path, morph: Morphology) -> list[StreetType]:
    return [
        StreetType(
            name=row["type"],
            gender=row["gender"],
            words=frozenset(morph.lemma(w) for w in row["words"].split("|") if w),
            abbreviations=frozenset(fold(w) for w in row["abbreviations"].split("|") if w),
        )
        for row in _rows(path)
    ]


def load_gazetteer(
    city_dir: Path,
    street_types: list[StreetType],
    districts: list[str],
    skip_words: frozenset[str],
    morph: Morphology,
) -> Gazetteer:
    known_types = {t.name for t in street_types}
    places: list[tuple[Place, list[str]]] = []
    for row in _rows(city_dir / "streets.csv"):
        if row["type"] not in known_types:
            raise ValueError(f"{row['name']}: unknown street type {row['type']!r}")
        places.append((Place(row["name"], STREET, row["type"], _district(row, districts)), _names(row)))
    for row in _rows(city_dir / "landmarks.csv"):
        kind = {"place": LANDMARK, "poi": POI}[row["role"]]
        places.append((Place(row["name"], kind, None, _district(row, districts)), _names(row)))
    for row in _rows(city_dir / "microdistricts.csv"):
        places.append((Place(row["name"], MICRODISTRICT, None, _district(row, districts)), _names(row)))
    ranges: dict[str, list[HouseRange]] = defaultdict(list)
    for row in _rows(city_dir / "district_ranges.csv"):
        ranges[row["street"]].append(HouseRange(int(row["from"]), int(row["to"]), _district(row, districts) or ""))
    return Gazetteer(places, street_types, dict(ranges), districts, skip_words, morph)


def _district(row: dict[str, str], districts: list[str]) -> str | None:
    district = row.get("district") or None
    if district is not None and district not in districts:
        raise ValueError(f"{row.get('name') or row.get('street')}: unknown district {district!r}")
    return district
