"""A post prepared once for every stage of triage: tokens plus their morphology."""

from __future__ import annotations

from dataclasses import dataclass

from adapters.triage.morphology import Analysis, Morphology
from adapters.triage.tokens import WORD, Token, fold, tokenize

OPEN_QUOTES = frozenset("«“„")
CLOSE_QUOTES = frozenset("»”")
STRAIGHT_QUOTE = '"'


@dataclass(frozen=True, slots=True)
class Document:
    text: str
    folded: str
    tokens: tuple[Token, ...]
    analyses: tuple[Analysis | None, ...]  # None for numbers and punctuation
    quoted: tuple[bool, ...]  # per token: inside quotation marks (a name, someone else's words)

    def lemmas(self, i: int) -> frozenset[str]:
        a = self.analyses[i]
        return a.lemmas if a is not None else frozenset({self.tokens[i].low})

    def token_at(self, offset: int) -> int:
        """Index of the token that covers or follows character ``offset``."""
        for t in self.tokens:
            if t.end > offset:
                return t.index
        return len(self.tokens) - 1


def make_document(text: str, morph: Morphology, abbreviations: frozenset[str]) -> Document:
    tokens = tuple(tokenize(text, abbreviations))
    analyses = tuple(morph.analyse(t.low) if t.kind == WORD else None for t in tokens)
    return Document(text=text, folded=fold(text), tokens=tokens, analyses=analyses, quoted=_quoted(tokens))


def _quoted(tokens: tuple[Token, ...]) -> tuple[bool, ...]:
    inside: list[bool] = []
    depth = 0
    straight_open = False
    for t in tokens:
        if t.text in OPEN_QUOTES:
            depth += 1
            inside.append(False)
            continue
        if t.text in CLOSE_QUOTES:
            depth = max(0, depth - 1)
            inside.append(False)
            continue
        if t.text == STRAIGHT_QUOTE:
            straight_open = not straight_open
            inside.append(False)
            continue
        inside.append(depth > 0 or straight_open)
    return tuple(inside)
