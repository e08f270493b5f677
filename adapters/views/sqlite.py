"""The SQLite dialect of the views: the embedded default (a file per view) and the in-memory store."""

import re
from collections.abc import Iterator
from contextlib import contextmanager

from eventsourcing.sqlite import SQLiteCursor, SQLiteTrackingRecorder

from adapters.views.sql import SQLView

# The shortest stem worth a prefix search; shorter words are matched whole.
_MIN_STEM = 4
# Russian inflectional endings, longest first, cut from search words so that a prefix search
# finds the other forms ("подъезде" → "подъезд*" finds "подъезд", "подъезда", "подъездом").
_ENDINGS = sorted(
    "ами ями ого его ому ему ыми ими ях ах ов ев ей ий ый ой ом ем ую юю ая яя ое ее ые ие ам ям "
    "а я о е ы и у ю ь й".split(),
    key=len,
    reverse=True,
)
_WORD = re.compile(r"\w+")
# SQLite's default 2 MiB page cache makes index upkeep read from disk once a view outgrows it;
# a rebuild at a million complaints needs far more.
_PAGE_CACHE = "PRAGMA cache_size = -65536"  # KiB: 64 MiB per connection, used as it fills
# A view's rows and its position commit together, so a view needs no flush to disk at each
# commit (in WAL mode): a power cut can only lose the latest commits whole, and the projector
# applies those events again from the position that survived. The event store keeps the
# library's full flush, because there a 201 promises the complaint is on disk.
_SYNCHRONOUS = "PRAGMA synchronous = NORMAL"


def fts_query(text: str) -> str | None:
    """An FTS5 query matching documents that contain every word of the text in some form."""
    terms = []
    for word in _WORD.findall(text.lower().replace("ё", "е")):
        stem = word
        for ending in _ENDINGS:
            if word.endswith(ending) and len(word) - len(ending) >= _MIN_STEM:
                stem = word[: -len(ending)]
                break
        terms.append(f'"{stem}"*' if len(stem) >= _MIN_STEM else f'"{stem}"')
    return " ".join(terms) or None


class SQLiteView(SQLView, SQLiteTrackingRecorder):
    integer = "INTEGER"

    def construct_create_table_statements(self) -> list[str]:
        return [*super().construct_create_table_statements(), self.rebuild_ddl(), *self.view_ddl()]

    def table(self, name: str) -> str:
        return f"{self.prefix}_{name}"

    def statement(self, sql: str) -> str:
        return sql

    @contextmanager
    def transaction(self, *, commit: bool) -> Iterator[SQLiteCursor]:
        with self.datastore.get_connection(commit=commit) as connection:
            # Per connection, and outside a transaction, where SQLite allows changing them.
            pragmas = connection.cursor()
            pragmas.execute(_PAGE_CACHE)
            pragmas.execute(_SYNCHRONOUS)
            with connection.transaction(commit=commit) as cursor:
                yield cursor

    def tracking_table(self) -> str:
        return "tracking"

    def dropped(self) -> list[str]:
        return [self.table(name) for name in self.tables]

    def analyze(self) -> list[str]:
        return ["ANALYZE"]  # the file holds this view only
