"""SQLite's search finds a page of the queue one of two ways: by walking the queue in its order
and checking each row's text (many matches), or by finding the matches and ordering them (few).
Both give the same pages, through the keyset, with other filters, in either order."""

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from adapters.clock import ManualClock
from adapters.config import Settings
from adapters.views.complaint_list import SQLiteComplaintListView
from adapters.views.search_words import fts_query
from application.demo import load_in_batches
from application.projections.complaint_list import ComplaintQuery, Sort, SortKey
from interfaces.bootstrap import Services, bootstrap

START = datetime(2026, 8, 1, tzinfo=UTC)
NOW = START + timedelta(days=100)


@pytest.fixture
def view(sqlite_settings: Settings) -> Iterator[SQLiteComplaintListView]:
    services: Services = bootstrap(sqlite_settings, clock=ManualClock(START))
    load_in_batches(services.complaints, 300, start=START, batch=100)
    services.read_models.projectors["complaint_list"].catch_up()
    listed = services.read_models.views.complaint_list
    assert isinstance(listed, SQLiteComplaintListView)
    yield listed
    services.close()


def _pages(view: SQLiteComplaintListView, query: ComplaintQuery) -> list[list[str]]:
    pages, after = [], None
    while True:
        page = view.find(replace(query, after=after), NOW)
        pages.append([item.id for item in page.items])
        if page.next_after is None:
            return pages
        after = page.next_after


@pytest.mark.parametrize(
    "query",
    [
        ComplaintQuery(text="вода", limit=7),
        ComplaintQuery(text="воды", status=("responded", "resolved"), limit=5),
        ComplaintQuery(text="яма", sort=Sort(SortKey.RECEIVED, descending=True), limit=6),
        ComplaintQuery(text="подъезда фонари", running=False, limit=4),
    ],
)
def test_walking_the_queue_and_ordering_the_matches_give_the_same_pages(
    view: SQLiteComplaintListView, query: ComplaintQuery, monkeypatch: pytest.MonkeyPatch
) -> None:
    match = fts_query(query.text or "")
    assert match and view._common(match, query.limit + 1), "the words are common enough to be walked"
    walked = _pages(view, query)
    monkeypatch.setattr(view, "_common", lambda match, limit: False)
    ordered = _pages(view, query)
    assert walked == ordered and sum(map(len, walked)) > query.limit


def test_a_rare_word_is_not_walked_for(view: SQLiteComplaintListView) -> None:
    match = fts_query("колодец Ворошиловский")
    assert match and not view._common(match, 51)
