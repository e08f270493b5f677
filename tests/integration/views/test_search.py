"""The complaint list finds what operators type, the same on SQLite and PostgreSQL: ё and е
either way, any form of a word, and prepositions that do not empty the answer (issue 14); a
text with no word to search finds nothing on either."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from adapters.clock import ManualClock
from adapters.config import Settings
from application.projections.complaint_list import ComplaintQuery
from interfaces.bootstrap import Services, bootstrap
from tests.support.commands import new_complaint

START = datetime(2026, 8, 1, tzinfo=UTC)
TEXTS = {
    "no water": "Нет воды в доме на улице Королёва",
    "pits": "Глубокие ямы во дворе дома 3",
    "burst pipe": "Прорвало трубу, вода течёт по улице Королева",
    "lamp": "Не горит фонарь у подъезда",
}


@pytest.fixture
def listed(durable_settings: Settings) -> Iterator[tuple[Services, dict[str, str]]]:
    services = bootstrap(durable_settings, clock=ManualClock(START + timedelta(days=1)))
    ids = {
        name: str(services.complaints.register(new_complaint(n, text=text, received_at=START)).complaint_id)
        for n, (name, text) in enumerate(TEXTS.items())
    }
    services.read_models.projectors["complaint_list"].catch_up()
    yield services, ids
    services.close()


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("Королёва", {"no water", "burst pipe"}),
        ("Королева", {"no water", "burst pipe"}),
        ("вода", {"no water", "burst pipe"}),
        ("воды", {"no water", "burst pipe"}),
        ("яма", {"pits"}),
        ("ямы", {"pits"}),
        ("течет", {"burst pipe"}),
        ("ямы во дворе", {"pits"}),
        ("на Королёва", {"no water", "burst pipe"}),
        ("вода в доме", {"no water"}),
        ("подъезды", {"lamp"}),
        ("колодец", set()),
        ("на", set()),  # nothing to search but a stop word
        (" ,, ", set()),
    ],
)
def test_a_search_finds_the_words_in_any_form_and_spelling(
    listed: tuple[Services, dict[str, str]], typed: str, found: set[str]
) -> None:
    services, ids = listed
    items = services.read_models.complaints(ComplaintQuery(text=typed)).value.items
    assert {item.id for item in items} == {ids[name] for name in found}
