"""Tokenisation of citizens' posts into words, numbers and punctuation.

Tokens keep their character offsets and sentence index so that address extraction can
reason about adjacency ("Стачки 217"), quoting («Малиновского») and sentence scope.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

WORD = "word"
NUMBER = "number"  # a house-like number: 12, 12а, 3/1, 85к4
ORDINAL = "ordinal"  # 20-я, 42-м, 2-й, and as typed: 1й, 5го
PUNCT = "punct"

_TOKEN_RE = re.compile(
    r"(?P<ordinal>\d{1,3}(?:[-–][а-яё]{1,3}|й|я|го|ой|ый|ий|ая|ую|ом|ым|му|ых|ей|ое|ые)(?![а-яёa-z\d]))"
    r"|(?P<number>\d+(?:/\d+)?(?:к\d+|[а-яёa-z](?![а-яёa-z\d]))?(?:/\d+)?)"
    r"|(?P<word>[а-яёa-z]+)"
    r"|(?P<punct>\S)",
    re.IGNORECASE,
)

# Hyphenated words are split so that "Зорге-Еременко" yields two streets; these parts
# re-join because they belong to one word ("кто-нибудь") or one abbreviation ("пр-т").
_JOINED_SUFFIXES = frozenset({"то", "нибудь", "либо", "ка", "таки"})
_SENTENCE_END = frozenset(".!?…\n")


def fold(text: str) -> str:
    """Lowercase and fold ё to е: the form every lookup in the adapter uses."""
    return text.lower().replace("ё", "е")


@dataclass(frozen=True, slots=True)
class Token:
    kind: str
    text: str  # as written
    low: str  # folded (lowercase, ё→е)
    start: int
    end: int
    sentence: int
    index: int

    @property
    def is_capitalised(self) -> bool:
        return self.text[:1].isupper()


def _raw_spans(text: str) -> list[tuple[str, int, int]]:
    spans: list[tuple[str, int, int]] = []
    for m in _TOKEN_RE.finditer(text):
        kind = m.lastgroup or PUNCT
        start, end = m.span()
        if kind == WORD and _joins(text, spans, start, end):
            spans.pop()  # the hyphen
            _, word_start, _ = spans.pop()
            spans.append((WORD, word_start, end))
            continue
        spans.append((kind, start, end))
    return spans


def _joins(text: str, spans: list[tuple[str, int, int]], start: int, end: int) -> bool:
    if len(spans) < 2:
        return False
    (word_kind, w_start, w_end), (_, h_start, h_end) = spans[-2], spans[-1]
    # Only a hyphen glued to both words joins them: "пр-т", not "Зорге - Еременко".
    if word_kind != WORD or text[h_start:h_end] != "-" or w_end != h_start or h_end != start:
        return False
    return fold(text[start:end]) in _JOINED_SUFFIXES or (end - start <= 2 and w_end - w_start <= 3)


def tokenize(text: str, abbreviations: frozenset[str] = frozenset()) -> list[Token]:
    """Split ``text``; a full stop after one of ``abbreviations`` does not end a sentence."""
    tokens: list[Token] = []
    sentence = 0
    spans = _raw_spans(text)
    for i, (kind, start, end) in enumerate(spans):
        raw = text[start:end]
        tokens.append(Token(kind, raw, fold(raw), start, end, sentence, len(tokens)))
        if kind == PUNCT and raw in _SENTENCE_END:
            prev = tokens[-2] if len(tokens) > 1 else None
            if raw != "." or prev is None or not _is_abbreviation(prev, abbreviations):
                sentence += 1
        elif i + 1 < len(spans) and "\n" in text[end : spans[i + 1][1]]:
            sentence += 1
    return tokens


def _is_abbreviation(token: Token, abbreviations: frozenset[str]) -> bool:
    return token.kind == WORD and (token.low in abbreviations or len(token.low) == 1)


def ordinal_value(token: Token) -> str | None:
    """The digits of an ordinal ("20-я" → "20") or of a bare number ("20" → "20")."""
    if token.kind == ORDINAL:
        return re.match(r"\d+", token.low).group(0)  # type: ignore[union-attr]
    if token.kind == NUMBER and token.low.isdigit():
        return token.low
    return None


def leading_number(text: str | None) -> int | None:
    """The number a house designation starts with ("28/5" → 28), if any."""
    m = re.match(r"\d+", text or "")
    return int(m.group(0)) if m else None
