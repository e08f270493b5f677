"""The complaint list's search on SQLite finds a word in any form the operator types it, with
ё or е, before or after a preposition (issue 14); tests/integration/views/test_search.py
shows the same answers on PostgreSQL."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pymorphy3
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.clock import ManualClock
from adapters.config import Settings
from adapters.views.search_words import fts_query
from application.projections.complaint_list import ComplaintQuery
from interfaces.bootstrap import Services, bootstrap
from tests.support.commands import new_complaint

START = datetime(2026, 8, 1, tzinfo=UTC)
NOUNS = ("вода", "яма", "подъезд", "двор", "фонарь", "ёлка", "счёт", "крыльцо", "лестница", "труба")
CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")
MORPHOLOGY = pymorphy3.MorphAnalyzer(lang="ru")


def inflected(noun: str, case: str, number: str) -> str:
    return MORPHOLOGY.parse(noun)[0].inflect({case, number}).word


@pytest.fixture(scope="module")
def listed() -> Iterator[tuple[Services, dict[str, set[str]]]]:
    """Per noun, two complaints: its plural instrumental spelt with ё, and spelt with е."""
    services = bootstrap(Settings(store="memory"), clock=ManualClock(START + timedelta(days=1)))
    ids: dict[str, set[str]] = {}
    for n, noun in enumerate(NOUNS):
        written = inflected(noun, "ablt", "plur")
        for m, spelt in enumerate((written, written.replace("ё", "е"))):
            command = new_complaint(10 * n + m, text=f"Проблема с {spelt} у дома", received_at=START)
            ids.setdefault(noun, set()).add(str(services.complaints.register(command).complaint_id))
    services.read_models.projectors["complaint_list"].catch_up()
    yield services, ids
    services.close()


@settings(max_examples=60, deadline=None)
@given(
    noun=st.sampled_from(NOUNS),
    case=st.sampled_from(CASES),
    number=st.sampled_from(("sing", "plur")),
    folded=st.booleans(),
    preposition=st.sampled_from(("", "в ", "на ", "у ", "по ", "и ")),
)
def test_any_form_and_spelling_of_a_word_finds_its_complaints(
    listed: tuple[Services, dict[str, set[str]]], noun: str, case: str, number: str, folded: bool, preposition: str
) -> None:
    services, ids = listed
    typed = inflected(noun, case, number)
    typed = preposition + (typed.replace("ё", "е") if folded else typed)
    items = services.read_models.complaints(ComplaintQuery(text=typed, limit=100)).value.items
    assert {item.id for item in items} == ids[noun]


def test_a_query_is_every_meant_word_in_any_of_its_forms() -> None:
    query = fts_query("Ямы во дворах!")
    assert query is not None and query.count(" AND ") == 1 and '"во"' not in query
    assert '"яма"' in query and '"двор"*' in query and '"дворе"' in query
    assert '"королёва"' in (fts_query("Королева") or "") and '"королев"*' in (fts_query("Королёва") or "")
    assert fts_query("на") is None and fts_query("  ,, ") is None
