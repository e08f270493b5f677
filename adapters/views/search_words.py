"""The words of a complaint list search on SQLite, in every form an operator may mean.

SQLite's FTS5 has no Russian stemmer and keeps ё apart from е (its diacritics folding is for
Latin letters only), so each searched word is matched in each form of each lemma it may have
(pymorphy3's lexemes: "вода" finds "воды", "яма" finds "ямы"), spelt with ё and with е, and by
its stem as a prefix, for names the dictionary does not know. Prepositions, conjunctions,
particles and interjections are left out, as PostgreSQL's ``russian`` configuration leaves them
out; a query of nothing else searches nothing, as there.
"""

import re
from functools import cache, lru_cache

import pymorphy3

_WORD = re.compile(r"\w+")
_STOP_POS = frozenset({"PREP", "CONJ", "PRCL", "INTJ"})
# The shortest stem worth a prefix search; shorter words are matched in their forms only.
_MIN_STEM = 4
# Russian inflectional endings, longest first, cut from a word to find its stem.
_ENDINGS = sorted(
    "ами ями ого его ому ему ыми ими ях ах ов ев ей ий ый ой ом ем ую юю ая яя ое ее ые ие ам ям "
    "а я о е ы и у ю ь й".split(),
    key=len,
    reverse=True,
)


@cache
def _analyzer() -> pymorphy3.MorphAnalyzer:
    # Loaded on the first search, not with every view: most processes never search.
    return pymorphy3.MorphAnalyzer(lang="ru")


def fts_query(text: str) -> str | None:
    """An FTS5 query matching documents that contain every meant word of the text in some
    form; None if the text has no such word."""
    meant = [word for word in _WORD.findall(text.lower()) if not _stop_word(word)]
    groups = [" OR ".join(_terms(word)) for word in meant]
    return " AND ".join(f"({group})" for group in groups) or None


@lru_cache(maxsize=20_000)
def _stop_word(word: str) -> bool:
    parses = _analyzer().parse(word)
    return bool(parses) and parses[0].tag.POS in _STOP_POS


@lru_cache(maxsize=20_000)
def _terms(word: str) -> tuple[str, ...]:
    forms = {word} | {form.word for parse in _analyzer().parse(word) for form in parse.lexeme}
    spellings = sorted({spelt for form in forms for spelt in (form, form.replace("ё", "е"))})
    stems = {_stem(spelt) for spelt in {word, word.replace("ё", "е")}}
    prefixes = sorted(f'"{stem}"*' for stem in stems if len(stem) >= _MIN_STEM)
    return (*prefixes, *(f'"{spelt}"' for spelt in spellings))


def _stem(word: str) -> str:
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= _MIN_STEM:
            return word[: -len(ending)]
    return word
