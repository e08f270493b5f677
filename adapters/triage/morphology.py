"""Cached pymorphy3 analysis of folded Russian word forms.

Every word form is analysed once per process: posts reuse a small vocabulary, so the
cache is what makes triage fast enough for a stream of posts.
"""

from __future__ import annotations

from dataclasses import dataclass

import pymorphy3

from adapters.triage.tokens import fold

# Enough for the vocabulary of a city's posts; a stream of typos cannot grow it forever.
_CACHE_LIMIT = 200_000
_PERSONAL = frozenset({"Surn", "Name", "Patr"})
_PROPER = _PERSONAL | {"Geox", "Orgn", "Trad"}


@dataclass(frozen=True, slots=True)
class Reading:
    lemma: str
    pos: str | None
    gender: str | None
    number: str | None
    case: str | None
    mood: str | None
    proper: bool
    personal: bool  # a surname, first name or patronymic
    geo: bool  # a place name: "Дон", "Ростов"


@dataclass(frozen=True, slots=True)
class Analysis:
    form: str
    lemma: str  # the most probable lemma
    lemmas: frozenset[str]  # every lemma, plus the form itself
    readings: tuple[Reading, ...]
    # True when no reading is a proper name and the word is in the dictionary:
    # "стачки" or "садовая" are everyday words, "мясникяна" is not.
    common: bool

    @property
    def main_pos(self) -> str | None:
        return self.readings[0].pos if self.readings else None


class Morphology:
    def __init__(self) -> None:
        self._analyzer = pymorphy3.MorphAnalyzer(lang="ru")
        self._cache: dict[str, Analysis] = {}
        self._nominatives: dict[tuple[str, str], str | None] = {}

    def analyse(self, word: str) -> Analysis:
        form = fold(word)
        cached = self._cache.get(form)
        if cached is None:
            if len(self._cache) >= _CACHE_LIMIT:
                self._cache.clear()
            cached = self._cache[form] = self._analyse(form)
        return cached

    def lemma(self, word: str) -> str:
        return self.analyse(word).lemma

    def adjective_nominative(self, word: str, gender: str) -> str | None:
        """``word`` as a singular nominative adjective of ``gender`` ("Кривой" from
        "Кривом", "Вишнёвая" from "Вишнёвой"), or None when it is not an adjective."""
        key = (fold(word), gender)
        if key not in self._nominatives:
            if len(self._nominatives) >= _CACHE_LIMIT:
                self._nominatives.clear()
            self._nominatives[key] = self._inflect_nominative(*key)
        return self._nominatives[key]

    def _inflect_nominative(self, word: str, gender: str) -> str | None:
        for parse in self._analyzer.parse(word):
            if parse.tag.POS == "ADJF" and parse.tag.number == "sing" and parse.tag.gender in (gender, None):
                inflected = parse.inflect({"nomn", "sing", gender})
                if inflected is not None:
                    return inflected.word
        return None

    def _analyse(self, form: str) -> Analysis:
        parses = self._analyzer.parse(form)
        readings = tuple(
            Reading(
                lemma=fold(p.normal_form),
                pos=p.tag.POS,
                gender=p.tag.gender,
                number=p.tag.number,
                case=p.tag.case,
                mood=p.tag.mood,
                proper=bool(_PROPER & p.tag.grammemes),
                personal=bool(_PERSONAL & p.tag.grammemes),
                geo="Geox" in p.tag.grammemes,
            )
            for p in parses
        )
        known = any(p.is_known for p in parses)
        return Analysis(
            form=form,
            lemma=readings[0].lemma if readings else form,
            lemmas=frozenset({form, *(r.lemma for r in readings)}),
            readings=readings,
            common=known and not any(r.proper for r in readings),
        )


def agree(left: Analysis, right: Analysis) -> bool:
    """Whether an adjective ``left`` can modify the noun ``right`` (same gender, number, case).

    Only the most probable reading of ``right`` counts: short words such as "с" or "и"
    have rare noun readings that would agree with anything.
    """
    if not right.readings or right.readings[0].pos != "NOUN":
        return False
    for a in left.readings:
        if a.pos not in ("ADJF", "PRTF"):
            continue
        for n in right.readings:
            if n.pos != "NOUN" or a.case != n.case or a.number != n.number:
                continue
            if a.number == "plur" or a.gender == n.gender:
                return True
    return False
