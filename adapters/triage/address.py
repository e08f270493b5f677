"""Where a post's problem is: the main address, its house, the district, and whether a
crew could find the spot (a house, an intersection, a segment, a landmark)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from adapters.triage.document import OPEN_QUOTES, STRAIGHT_QUOTE, Document
from adapters.triage.gazetteer import (
    LANDMARK,
    MICRODISTRICT,
    POI,
    STREET,
    Gazetteer,
    Place,
    PlaceMatch,
)
from adapters.triage.morphology import Morphology, agree
from adapters.triage.tokens import NUMBER, ORDINAL, PUNCT, WORD, fold, leading_number, ordinal_value
from application.triage import Address

MAIN = "main"
CROSS = "cross"  # a cross street of an intersection or a segment bound
ROUTE = "route"  # "от Жукова до Стачки": a way, not a place

_WINDOW = 10
_MAX_HOUSE = 2000
_BUILDING = re.compile(r"корпус\.*|корп\.*|к\.+")


@dataclass(frozen=True, slots=True)
class AddressWords:
    """Language-level vocabulary of addresses (``data/<language>/address.json``)."""

    abbreviations: frozenset[str]
    house_markers: frozenset[str]
    number_markers: frozenset[str]
    building_markers: frozenset[str]
    # Letters written apart from a house number ("27 А"); lowercase "в" and "и" are words.
    house_letters: frozenset[str]
    units: frozenset[str]
    location_prepositions: frozenset[str]
    skip_in_names: frozenset[str]
    intersection_words: frozenset[str]
    segment_words: frozenset[str]
    street_cues: frozenset[str]  # words after which a bare capitalised name is a street
    segment_fillers: frozenset[str]  # "на участке между …"
    route_from: frozenset[str]
    route_to: frozenset[str]
    connectors: frozenset[str]
    named_point_words: frozenset[str]
    district_words: frozenset[str]
    house_before_prepositions: frozenset[str]
    locatable_street_types: frozenset[str]  # a square is a landmark by itself
    point_prepositions: frozenset[str]  # "возле «Магнита»": a named spot, not a quotation
    apartment_markers: frozenset[str]  # "кв", "квартира"
    residence_words: frozenset[str]  # lemmas: "проживать", "собственник"
    # Lemma endings of adjectives that name streets ("-овский", "-инский"), for names
    # the dictionary does not know.
    street_adjective_endings: frozenset[str]
    # The type given to a street missing from the gazetteer, by the gender of its name.
    unknown_street_type: dict[str, str]

    @classmethod
    def load(cls, path: Path) -> AddressWords:
        raw = json.loads(path.read_text(encoding="utf-8"))
        words = {
            name: frozenset(fold(w) for w in raw[name])
            for name in cls.__dataclass_fields__
            if name not in ("unknown_street_type", "house_letters")
        }
        return cls(
            **words, house_letters=frozenset(raw["house_letters"]), unknown_street_type=dict(raw["unknown_street_type"])
        )


@dataclass(slots=True)
class Mention:
    place: Place
    start: int
    end: int
    sentence: int
    quoted: bool
    role: str = MAIN
    linked: bool = False  # an intersection or a segment pins it down
    house: str | None = None
    residence: bool = False  # where the author lives ("проживаю по адресу"), maybe not the problem


@dataclass(frozen=True, slots=True)
class Location:
    address: Address | None
    district: str | None
    locatable: bool
    area_named: bool  # a district or microdistrict was named, even without an address


class AddressExtractor:
    def __init__(self, gazetteer: Gazetteer, words: AddressWords, morph: Morphology) -> None:
        self._gazetteer = gazetteer
        self._words = words
        self._morph = morph
        self._name_cues = words.location_prepositions | words.street_cues

    def locate(self, doc: Document) -> Location:
        quoted = list(doc.quoted)
        explicit = self._explicit_districts(doc)
        matches = self._gazetteer.find(doc)
        mentions = [m for match in matches if (m := self._mention(doc, match, quoted)) is not None]
        taken = {i for match in matches for i in range(match.start, match.end)}
        mentions = sorted(mentions + self._unknown_streets(doc, taken, quoted), key=lambda m: m.start)
        self._link(doc, mentions)
        for m in mentions:
            if m.place.kind == STREET and m.role != ROUTE:
                m.house = self._house(doc, m, mentions)
            m.residence = self._residence(doc, m)
        chosen = self._choose(mentions)
        address = None
        if chosen is not None:
            address = Address(chosen.place.name, chosen.place.street_type, chosen.house)
        named_point = self._named_point(doc, mentions)
        locatable = chosen is not None and (
            chosen.house is not None
            or chosen.linked
            or chosen.place.kind == LANDMARK
            or chosen.place.street_type in self._words.locatable_street_types
            or named_point
        )
        district = self._district(explicit, chosen, mentions)
        area_named = bool(explicit) or any(m.place.kind == MICRODISTRICT and m.role != ROUTE for m in mentions)
        return Location(address, district, locatable, area_named)

    # -- districts named in words ------------------------------------------------------

    def _explicit_districts(self, doc: Document) -> list[str]:
        found: list[str] = []
        for i, a in enumerate(doc.analyses):
            district = self._gazetteer.district_named(a)
            if district is None:
                continue
            nxt = _next_word(doc, i + 1)
            prev = _prev_word(doc, i - 1)
            if (nxt is not None and self._is_district_word(doc, nxt)) or (
                prev is not None and self._is_district_word(doc, prev)
            ):
                found.append(district)
        return found

    def _is_district_word(self, doc: Document, i: int) -> bool:
        return bool(doc.lemmas(i) & self._words.district_words)

    # -- mentions ----------------------------------------------------------------------

    def _mention(self, doc: Document, match: PlaceMatch, quoted: list[bool]) -> Mention | None:
        type_before = self._type_at(doc, _prev_word(doc, match.start - 1))
        type_after = self._type_at(doc, _next_word(doc, match.end))
        explicit = type_before or type_after
        place = self._pick(match.places, explicit)
        if place is None:
            return None
        nxt = _next_word(doc, match.end)
        if nxt is not None and not type_after and self._modifies_noun(doc, match, nxt):
            return None
        in_quotes = quoted[match.start]
        if not (explicit or in_quotes or self._cued(doc, match)):
            return None
        return Mention(place, match.start, match.end, doc.tokens[match.start].sentence, in_quotes)

    def _type_at(self, doc: Document, i: int | None) -> str | None:
        if i is None:
            return None
        t = self._gazetteer.street_type_at(doc.tokens[i], doc.analyses[i])
        return t.name if t else None

    @staticmethod
    def _pick(places: tuple[Place, ...], explicit_type: str | None) -> Place | None:
        if explicit_type:
            typed = [p for p in places if p.street_type == explicit_type]
            if typed:
                return typed[0]
        for kind in (LANDMARK, POI, MICRODISTRICT, STREET):
            for p in places:
                if p.kind == kind:
                    return p
        return None

    def _modifies_noun(self, doc: Document, match: PlaceMatch, nxt: int) -> bool:
        # "Советском районе", "Ворошиловского моста", "Театральной афише": the adjective
        # belongs to another noun, so it is not the street of that name.
        if self._is_district_word(doc, nxt):
            return True
        if not match.adjectival or nxt != match.end:
            return False
        last, following = doc.analyses[match.end - 1], doc.analyses[nxt]
        if last is None or following is None:
            return False
        if doc.lemmas(nxt) & (self._words.intersection_words | self._words.house_markers):
            return False
        return agree(last, following)

    def _cued(self, doc: Document, match: PlaceMatch) -> bool:
        if any(p.kind in (LANDMARK, POI) for p in match.places):
            return True
        prev = _prev_word(doc, match.start - 1)
        if prev is not None:
            cue_words = (
                self._words.location_prepositions
                | self._words.connectors
                | self._words.intersection_words
                | self._words.house_markers
                | self._words.segment_words
                | self._words.district_words
            )
            if doc.lemmas(prev) & cue_words:
                return True
        if self._number_after(doc, match.end) is not None:
            return True
        first = doc.tokens[match.start]
        analysis = doc.analyses[match.start]
        if first.kind != WORD or (analysis is not None and not analysis.common):
            return True
        if not first.is_capitalised:
            return False
        sentence_start = match.start == 0 or doc.tokens[match.start - 1].sentence != first.sentence
        if not sentence_start or any(p.kind == MICRODISTRICT for p in match.places):
            return True
        # A capitalised everyday word opening a sentence is a name only when it stands
        # alone: "Садовая, 5" or "Северный, кто сталкивался?".
        return match.end < len(doc.tokens) and doc.tokens[match.end].kind == PUNCT

    # -- streets missing from the gazetteer ----------------------------------------------

    def _unknown_streets(self, doc: Document, taken: set[int], quoted: list[bool]) -> list[Mention]:
        """Streets the gazetteer lacks, where the text itself says it is a street:
        "ул. Селиванова", "в переулке Кривом", "на Кривошлыковской улице", or a name
        followed by a house number ("на Селиванова 15")."""
        found: list[Mention] = []
        for i, t in enumerate(doc.tokens):
            if i in taken or t.kind != WORD:
                continue
            street_type = self._gazetteer.street_type_at(t, doc.analyses[i])
            if street_type is not None:
                abbreviated = t.low in street_type.abbreviations
                after = _next_word(doc, i + 1)
                span = self._unknown_name(doc, after, street_type.gender, abbreviated, taken)
                if span is None:
                    before = _prev_word(doc, i - 1)
                    span = self._unknown_name(doc, before, street_type.gender, False, taken, adjective_only=True)
                if span is not None:
                    start, end, name = span
                    found.append(self._unknown_mention(doc, start, end, name, street_type.name, quoted))
                    taken.update(range(start, end))
            else:
                span = self._unknown_after_preposition(doc, i, taken) or self._unknown_opening(doc, i, taken)
                if span is not None:
                    start, end, name = span
                    found.append(self._unknown_mention(doc, start, end, name, self._guess_type(doc, start), quoted))
                    taken.update(range(start, end))
        return found

    def _unknown_after_preposition(self, doc: Document, i: int, taken: set[int]) -> tuple[int, int, str] | None:
        """ "на Селиванова 15", "адрес: Кизитериновская 142", or a street-like adjective
        no dictionary knows ("на кизитериновской", lowercase as people type it)."""
        cue = doc.tokens[i].low
        if cue not in self._name_cues and not self._second_bound(doc, i, taken):
            return None
        j = i + 1
        while j < len(doc.tokens) and doc.tokens[j].low in (":", "."):
            j += 1
        if j >= len(doc.tokens) or j in taken:
            return None
        span = self._unknown_name(doc, j, None, False, taken)
        if span is None and self._number_after(doc, j + 1) is not None:
            span = self._unknown_name(doc, j, None, False, taken, any_case=True)
        if span is not None and self._number_after(doc, span[1]) is not None:
            return span
        name = self._street_adjective(doc, j)
        if name is not None:
            return j, j + 1, name
        street_cue = cue in self._words.street_cues or self._second_bound(doc, i, taken)
        if street_cue and span is not None and self._names_a_street(doc, span):
            return span
        return None

    def _second_bound(self, doc: Document, i: int, taken: set[int]) -> bool:
        """ "и" or "/" right after a street that follows "перекрёсток", "угол" or "между":
        the next name is the other street ("на углу Тельмана и Пешкова")."""
        if doc.tokens[i].low not in self._words.connectors or i - 1 not in taken:
            return False
        cues = self._words.intersection_words | self._words.segment_words
        k = i - 1
        while k >= 0 and k in taken:
            k -= 1
        while k >= 0 and (self._type_at(doc, k) is not None or doc.tokens[k].low == "."):
            k -= 1
        return k >= 0 and bool(doc.lemmas(k) & cues)

    def _names_a_street(self, doc: Document, span: tuple[int, int, str]) -> bool:
        """Whether a capitalised name after "на", "по", "вся", "перекрёсток" with no house
        number names a street: "вся Курчатова в ямах", "на Зеленодольской нет света", but
        not "на Центральной площади", whose adjective belongs to the noun after it."""
        start, end, _ = span
        t, a = doc.tokens[start], doc.analyses[start]
        if a is None or not a.readings or not t.is_capitalised or t.text.isupper() or start == 0:
            return False
        if doc.tokens[start - 1].sentence != t.sentence:
            return False
        if a.main_pos == "ADJF":
            nxt = _next_word(doc, end)
            following = doc.analyses[nxt] if nxt is not None else None
            return any(r.gender == "femn" for r in a.readings if r.pos == "ADJF") and not (
                following is not None and agree(a, following)
            )
        return any(r.personal for r in a.readings) or not a.common

    def _unknown_opening(self, doc: Document, i: int, taken: set[int]) -> tuple[int, int, str] | None:
        """A name and a house number opening the post or a sentence: "Кизитериновская 142 —
        яма", "Оганова 5: нет воды" (the way people head a message with their address)."""
        if i > 0 and doc.tokens[i - 1].sentence == doc.tokens[i].sentence:
            return None
        span = (
            self._unknown_name(doc, i, None, False, taken)
            or self._unknown_name(doc, i, None, False, taken, any_case=True)
            or ((i, i + 1, name) if (name := self._street_adjective(doc, i)) is not None else None)
        )
        if span is None or self._number_after(doc, span[1]) is None:
            return None
        return span

    def _street_adjective(self, doc: Document, i: int) -> str | None:
        """The nominative of a feminine adjective unknown to the dictionary and shaped like
        a street name ("кизитериновской" → "Кизитериновская"), whatever its case of letters."""
        t, a = doc.tokens[i], doc.analyses[i]
        if t.kind != WORD or a is None or a.common or not a.readings:
            return None
        first = a.readings[0]
        if first.pos != "ADJF" or first.gender != "femn" or first.number != "sing" or first.proper:
            return None
        if not first.lemma.endswith(tuple(self._words.street_adjective_endings)):
            return None
        nxt = _next_word(doc, i + 1)
        if nxt is not None and (b := doc.analyses[nxt]) is not None and agree(a, b):
            return None  # "на кривошеинской лавке": it describes the noun after it
        nominative = self._morph.adjective_nominative(t.low, "femn")
        return nominative[:1].upper() + nominative[1:] if nominative else None

    def _unknown_name(
        self,
        doc: Document,
        i: int | None,
        gender: str | None,
        abbreviated: bool,
        taken: set[int],
        adjective_only: bool = False,
        any_case: bool = False,
    ) -> tuple[int, int, str] | None:
        """A street name the gazetteer lacks at ``i``: capitalised as a name is, or in
        ``any_case`` (when a house number follows, so "на селиванова 15" is a street too)."""
        if i is None or i in taken or doc.tokens[i].kind != WORD:
            return None
        token, a = doc.tokens[i], doc.analyses[i]
        if a is None or len(token.text) < 3:
            return None
        if not any_case and (not token.is_capitalised or (token.text.isupper() and len(token.text) > 1)):
            return None
        if any(r.geo for r in a.readings):
            return None
        # An adjectival name is given in the nominative ("Кривошлыковская"); anything
        # else is a genitive name, kept as written ("Оганова", "Селиванова").
        if a.main_pos == "ADJF":
            for r in a.readings:
                if r.number == "sing" and r.gender and (gender is None or r.gender == gender):
                    nominative = self._morph.adjective_nominative(token.low, r.gender)
                    if nominative:
                        return i, i + 1, nominative[:1].upper() + nominative[1:]
        if adjective_only or not (abbreviated or not a.common):
            return None
        if any_case and not (token.is_capitalised and not token.text.isupper()):
            return i, i + 1, token.low[:1].upper() + token.low[1:]
        # A genitive name may have several words: "Платона Кляты", "Николая Островского".
        end = i + 1
        while (
            end < len(doc.tokens)
            and end not in taken
            and doc.tokens[end].kind == WORD
            and doc.tokens[end].is_capitalised
            and (b := doc.analyses[end]) is not None
            and (not b.common or any(r.personal for r in doc.analyses[end - 1].readings))  # type: ignore[union-attr]
        ):
            end += 1
        return i, end, " ".join(doc.tokens[k].text for k in range(i, end))

    def _guess_type(self, doc: Document, i: int) -> str:
        # Adjectival masculine names in Russian cities are mostly lanes ("Газетный").
        a = doc.analyses[i]
        gender = a.readings[0].gender if a is not None and a.main_pos == "ADJF" else None
        types = self._words.unknown_street_type
        return types.get(gender or "", types["default"])

    def _unknown_mention(
        self, doc: Document, start: int, end: int, name: str, street_type: str, quoted: list[bool]
    ) -> Mention:
        place = Place(name, STREET, street_type, None)
        return Mention(place, start, end, doc.tokens[start].sentence, quoted[start])

    # -- intersections, segments and routes ---------------------------------------------

    def _link(self, doc: Document, mentions: list[Mention]) -> None:
        streets = [m for m in mentions if m.place.kind in (STREET, LANDMARK)]
        head: Mention | None = None
        for prev, cur in pairwise(streets):
            linked = prev.sentence == cur.sentence and self._links(
                self._between(doc, prev.end, cur.start), after_cross=prev.role == CROSS
            )
            if not linked:
                head = None
                continue
            head = head or prev
            head.linked = True
            cur.role = CROSS
        for m in mentions:
            if m.role == MAIN and self._on_route(doc, m):
                m.role = ROUTE

    def _links(self, between: list[str], after_cross: bool) -> bool:
        """Whether the words between two streets make them one location.

        "Малиновского и Стачки", "Соколова / Красноармейская", "Ворошиловском угол
        Текучева" are intersections; "Пушкинской между Ворошиловским и Крепостным" and
        "Нансена от Текучева до Шолохова" are segments of the first street.
        """
        if not between:
            return False
        if all(w in self._words.connectors for w in between):
            return True
        # "Лелюшенко на участке между Каширской и …"; "Сарьяна между 26-й и 29-й линией",
        # where the first bound is an ordinal whose "линией" comes once, after the second.
        while len(between) > 1 and between[0] in self._words.segment_fillers:
            between = between[1:]
        if between[0] in self._words.segment_words and all(
            w[:1].isdigit() or w in self._words.connectors for w in between[1:]
        ):
            return True
        if len(between) != 1:
            return False
        word = between[0]
        return (
            word in self._words.segment_words
            or word in self._words.route_from
            or (after_cross and word in self._words.route_to)
        )

    def _between(self, doc: Document, start: int, end: int) -> list[str]:
        out = []
        for i in range(start, end):
            t = doc.tokens[i]
            if t.low in (".", ","):
                continue
            if t.kind == WORD and self._gazetteer.street_type_at(t, doc.analyses[i]) is not None:
                continue
            out.append(t.low)
        return out

    def _on_route(self, doc: Document, m: Mention) -> bool:
        prev = _prev_word(doc, m.start - 1)
        if prev is not None and self._type_at(doc, prev):
            prev = _prev_word(doc, prev - 1)
        if prev is None:
            return False
        word = doc.tokens[prev].low
        reach = _WINDOW // 2
        if word in self._words.route_from:
            nearby = range(m.end, min(len(doc.tokens), m.end + reach))
            wanted = self._words.route_to
        elif word in self._words.route_to:
            nearby = range(max(0, prev - reach), prev)
            wanted = self._words.route_from
        else:
            return False
        return any(doc.tokens[k].sentence == m.sentence and doc.tokens[k].low in wanted for k in nearby)

    # -- houses ------------------------------------------------------------------------

    def _house(self, doc: Document, m: Mention, mentions: list[Mention]) -> str | None:
        tight = self._number_after(doc, m.end)
        if tight is not None:
            return self._house_at(doc, tight)
        limit_right = min([o.start for o in mentions if o.start >= m.end] + [len(doc.tokens)])
        for i in range(m.end, min(limit_right, m.end + _WINDOW)):
            if doc.tokens[i].sentence != m.sentence:
                break
            number = self._number_after_marker(doc, i)
            if number is not None:
                return self._house_at(doc, number)
            # "возле 9 дома", "у 5го дома"
            if (
                doc.tokens[i].kind in (NUMBER, ORDINAL)
                and i + 1 < len(doc.tokens)
                and self._is_house_marker(doc, i + 1)
            ):
                value = ordinal_value(doc.tokens[i]) if doc.tokens[i].kind == ORDINAL else doc.tokens[i].low
                if value is not None and (leading_number(value) or 0) <= _MAX_HOUSE:
                    return normalize_house(value)
        return self._house_before(doc, m, mentions)

    def _house_before(self, doc: Document, m: Mention, mentions: list[Mention]) -> str | None:
        # "у д. 52 по ул. Мечникова", "домов № 41 и № 43 по ул. Зорге": the number
        # comes first and the street follows "по"/"на".
        prev = _prev_word(doc, m.start - 1)
        if prev is not None and self._type_at(doc, prev):
            prev = _prev_word(doc, prev - 1)
        if prev is None or doc.tokens[prev].low not in self._words.house_before_prepositions:
            return None
        limit_left = max([o.end for o in mentions if o.end <= m.start] + [0, m.start - _WINDOW])
        for i in range(prev - 1, limit_left - 1, -1):
            if doc.tokens[i].sentence != m.sentence:
                return None
            if self._is_house_marker(doc, i):
                number = self._number_after_marker(doc, i)
                return self._house_at(doc, number) if number is not None else None
        return None

    def _is_house_marker(self, doc: Document, i: int) -> bool:
        t = doc.tokens[i]
        return t.kind == WORD and bool(doc.lemmas(i) & self._words.house_markers)

    def _number_after_marker(self, doc: Document, i: int) -> int | None:
        if not self._is_house_marker(doc, i):
            return None
        j = i + 1
        while j < len(doc.tokens) and (doc.tokens[j].low in self._words.number_markers or doc.tokens[j].low == "."):
            j += 1
        return j if j < len(doc.tokens) and self._is_house_number(doc, j) else None

    def _number_after(self, doc: Document, end: int) -> int | None:
        """Index of a house number written right after a street name ("Стачки, д. 217")."""
        j = end
        n = len(doc.tokens)
        while j < n and (
            doc.tokens[j].low in (".", ",") or (doc.tokens[j].kind == WORD and self._type_at(doc, j) is not None)
        ):
            j += 1
        if j < n and self._is_house_marker(doc, j):
            return self._number_after_marker(doc, j)
        while j < n and doc.tokens[j].low in self._words.number_markers:
            j += 1
        return j if j < n and self._is_house_number(doc, j) else None

    def _is_house_number(self, doc: Document, j: int) -> bool:
        t = doc.tokens[j]
        if t.kind != NUMBER or (leading_number(t.low) or 0) > _MAX_HOUSE:
            return False
        k = j + 1
        if k >= len(doc.tokens):
            return True
        after = doc.tokens[k]
        # "18:00", "8-10", "15%" are times, ranges and shares, not houses.
        if after.start == t.end and (
            after.low == "%"
            or (after.low in (":", "-", "–") and k + 1 < len(doc.tokens) and doc.tokens[k + 1].kind == NUMBER)
        ):
            return False
        if after.kind == WORD and doc.lemmas(k) & self._words.apartment_markers:
            # "Ленина 99 кв 12": a flat's number follows the house's, not "5 квартир".
            n = k + 1
            while n < len(doc.tokens) and doc.tokens[n].low in (".", "№"):
                n += 1
            if n < len(doc.tokens) and doc.tokens[n].kind == NUMBER:
                return True
        return not (after.kind == WORD and (after.low in self._words.units or doc.lemmas(k) & self._words.units))

    def _house_at(self, doc: Document, j: int) -> str:
        house = doc.tokens[j].low
        k = j + 1
        while k < len(doc.tokens) and doc.tokens[k].low in (",", "."):
            k += 1
        if k < len(doc.tokens) and doc.tokens[k].low in self._words.building_markers:
            k += 1
            while k < len(doc.tokens) and doc.tokens[k].low == ".":
                k += 1
            if k < len(doc.tokens) and doc.tokens[k].kind == NUMBER and doc.tokens[k].low.isdigit():
                house += "к" + doc.tokens[k].low
        elif house.isdigit() and self._house_letter(doc, j + 1):
            house += doc.tokens[j + 1].low  # "д. 27 А"
        return normalize_house(house)

    def _house_letter(self, doc: Document, k: int) -> bool:
        """A house letter written apart from the number: "д. 27 А", "27 б," — not the
        preposition of "27 в подъезде" nor the conjunction of "27 и 29"."""
        if k >= len(doc.tokens) or doc.tokens[k].kind != WORD or len(doc.tokens[k].low) != 1:
            return False
        letter = doc.tokens[k]
        if letter.text not in self._words.house_letters and letter.low not in self._words.house_letters:
            return False
        return k + 1 >= len(doc.tokens) or doc.tokens[k + 1].kind == PUNCT

    # -- choosing the main address -----------------------------------------------------

    def _residence(self, doc: Document, m: Mention) -> bool:
        """Whether the words just before the address say the author lives there."""
        for i in range(m.start - 1, max(-1, m.start - 1 - _WINDOW), -1):
            if doc.tokens[i].sentence != m.sentence:
                return False
            if doc.lemmas(i) & self._words.residence_words:
                return True
        return False

    @staticmethod
    def _choose(mentions: list[Mention]) -> Mention | None:
        places = [m for m in mentions if m.place.kind in (STREET, LANDMARK) and m.role == MAIN]
        candidates = [m for m in places if not m.quoted] or places
        # "Я проживаю по адресу: …, прошу … во дворе дома по ул. …": the problem's address
        # comes after the author's own.
        housed = [m for m in candidates if m.house is not None]
        for m in housed:
            if not m.residence:
                return m
        if housed:
            return housed[0]
        elsewhere = [m for m in candidates if not m.residence]
        return (elsewhere or candidates or [None])[0]

    def _named_point(self, doc: Document, mentions: list[Mention]) -> bool:
        if any(m.place.kind == POI for m in mentions):
            return True
        for i, t in enumerate(doc.tokens):
            if t.kind == WORD and doc.lemmas(i) & self._words.named_point_words:
                following = doc.tokens[i + 1 : i + 3]
                if any(f.text in OPEN_QUOTES or f.text == STRAIGHT_QUOTE for f in following):
                    return True
            # A shop named by the spot: "возле «Магнита» на Борко".
            if (
                t.text in OPEN_QUOTES
                and i > 0
                and doc.tokens[i - 1].low in self._words.point_prepositions
                and i + 1 < len(doc.tokens)
                and doc.tokens[i + 1].is_capitalised
            ):
                return True
        return False

    def _district(self, explicit: list[str], chosen: Mention | None, mentions: list[Mention]) -> str | None:
        if explicit:
            return explicit[0]
        if chosen is not None:
            district = self._gazetteer.district_of(chosen.place, chosen.house)
            if district is not None:
                return district
        for m in mentions:
            if m.place.kind in (POI, MICRODISTRICT) and m.role != ROUTE and m.place.district:
                return m.place.district
        if chosen is not None:
            # A boundary street is placed by a cross street in the same sentence
            # ("Стачки у Малиновского").
            near = {
                m.place.district
                for m in mentions
                if m is not chosen and m.sentence == chosen.sentence and m.role != ROUTE and m.place.district
            }
            if len(near) == 1:
                return near.pop()
        return None


def normalize_house(raw: str) -> str:
    """House number as the corpus writes it: lowercase, no spaces, "корп."/"к." → "к"."""
    return _BUILDING.sub("к", fold(raw).replace(" ", ""))


def _next_word(doc: Document, i: int) -> int | None:
    """Index of the first word or number from ``i`` on, stepping over full stops."""
    while i < len(doc.tokens) and doc.tokens[i].low == ".":
        i += 1
    return i if i < len(doc.tokens) and doc.tokens[i].kind != PUNCT else None


_SKIPPED_BEFORE = frozenset({".", "«", '"', "“", "(", ":"})


def _prev_word(doc: Document, i: int) -> int | None:
    """Index of the word or number before ``i``, stepping over full stops, colons and
    opening quotes ("ул. Мадояна", "адресу: ул.", "«Малиновского»")."""
    while i >= 0 and doc.tokens[i].low in _SKIPPED_BEFORE:
        i -= 1
    return i if i >= 0 and doc.tokens[i].kind != PUNCT else None
