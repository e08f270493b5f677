"""Keyword patterns kept as data and matched on lemmas.

A pattern is written in plain Russian and lemmatised when loaded, so the data can say
"горячая вода" and still match "нет горячей воды". Syntax:

* ``горячая вода`` — consecutive words, each compared by lemma (any reading);
* ``=продам`` — this exact word form only (the lemma would also match "продали");
* ``~в лс`` — a substring of the folded text, for emoji and punctuation;
* ``пробка + объезд`` — all parts anywhere in the post.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from adapters.triage.document import Document
from adapters.triage.morphology import Morphology
from adapters.triage.tokens import NUMBER, ORDINAL, PUNCT, fold, tokenize

_LEMMA = "lemma"
_FORM = "form"


@dataclass(frozen=True, slots=True)
class _Phrase:
    text: str | None  # substring phrase
    words: tuple[tuple[str, str], ...]  # (kind, key) per word


@dataclass(frozen=True, slots=True)
class Pattern:
    source: str
    parts: tuple[_Phrase, ...]


def compile_pattern(source: str, morph: Morphology) -> Pattern:
    return Pattern(source, tuple(_compile_phrase(p.strip(), morph) for p in source.split(" + ")))


def _compile_phrase(source: str, morph: Morphology) -> _Phrase:
    if source.startswith("~"):
        return _Phrase(fold(source[1:]), ())
    exact = source.startswith("=")
    words: list[tuple[str, str]] = []
    for token in tokenize(source.lstrip("=")):
        if token.kind == PUNCT:
            continue
        if exact or token.kind in (NUMBER, ORDINAL):
            words.append((_FORM, token.low))
        else:
            words.append((_LEMMA, morph.lemma(token.low)))
    if not words:
        raise ValueError(f"empty pattern: {source!r}")
    return _Phrase(None, tuple(words))


class PatternSet:
    """Patterns with a payload each, found in a document in one pass over its tokens."""

    def __init__(self, patterns: list[tuple[Pattern, object]]) -> None:
        self._patterns = patterns
        self._by_first: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
        self._substrings: list[tuple[int, int, str]] = []
        for pi, (pattern, _) in enumerate(patterns):
            for qi, phrase in enumerate(pattern.parts):
                if phrase.text is not None:
                    self._substrings.append((pi, qi, phrase.text))
                else:
                    self._by_first[phrase.words[0]].append((pi, qi))

    def occurrences(self, doc: Document) -> list[tuple[object, int]]:
        """(payload, token position) for every occurrence of every pattern in ``doc``.

        Single-phrase patterns report each occurrence; a pattern of several parts
        reports one, at the first occurrence of its first part.
        """
        part_hits: dict[tuple[int, int], set[int]] = defaultdict(set)
        for i, token in enumerate(doc.tokens):
            keys = [(_FORM, token.low)] + [(_LEMMA, lemma) for lemma in doc.lemmas(i)]
            for key in keys:
                for pi, qi in self._by_first.get(key, ()):
                    if _matches_at(doc, i, self._patterns[pi][0].parts[qi]):
                        part_hits[(pi, qi)].add(i)
        for pi, qi, text in self._substrings:
            at = doc.folded.find(text)
            while at >= 0:
                part_hits[(pi, qi)].add(doc.token_at(at))
                at = doc.folded.find(text, at + 1)
        found: list[tuple[object, int]] = []
        for pi in sorted({pi for pi, _ in part_hits}):
            pattern, payload = self._patterns[pi]
            hits = [part_hits.get((pi, qi)) for qi in range(len(pattern.parts))]
            if not all(hits):
                continue
            if len(hits) == 1:
                found.extend((payload, p) for p in sorted(hits[0]))  # type: ignore[arg-type]
            else:
                found.append((payload, min(hits[0])))  # type: ignore[arg-type]
        return found


def _matches_at(doc: Document, i: int, phrase: _Phrase) -> bool:
    j = i
    for kind, key in phrase.words:
        while j < len(doc.tokens) and doc.tokens[j].kind == PUNCT and doc.tokens[j].low in "-.":
            j += 1
        if j >= len(doc.tokens):
            return False
        token = doc.tokens[j]
        if kind == _FORM:
            if token.low != key:
                return False
        elif key not in doc.lemmas(j):
            return False
        j += 1
    return True
