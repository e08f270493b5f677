"""The projections' rules without a database: which row changes each event asks for."""

import statistics
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from adapters.views.sqlite import fts_query
from application.projections.calendar import month_key, week_key
from application.projections.changes import Count, Insert, Update
from application.projections.complaint_list import ComplaintListProjection
from application.projections.organisations import OrganisationProjection
from application.projections.reaction import ReactionProjection, percentile
from application.projections.volume import VolumeProjection
from domain.complaint import Complaint
from domain.reaction import ReactionPolicy

AT = datetime(2026, 8, 31, 21, 30, tzinfo=UTC)  # 00:30 on 1 September in Rostov


def _complaint() -> Complaint:
    complaint = Complaint.register(
        channel="vk",
        source_ref="wall-1_1",
        author_ref="vk:id1",
        text="Яма у подъезда",
        received_at=AT,
        policy=ReactionPolicy(),
        id_key=b"test",
        actor="operator:test",
        at=AT + timedelta(minutes=5),
        category="roads",
        district="Кировский",
    )
    complaint.assign("ДГХ", actor="operator:test", at=AT + timedelta(minutes=30))
    complaint.respond("Передано", actor="operator:test", at=AT + timedelta(hours=1))
    complaint.respond("Ещё ответ", actor="operator:test", at=AT + timedelta(hours=3))
    return complaint


def test_calendar_buckets_are_moscow_days() -> None:
    assert month_key(AT) == "2026-09"
    assert week_key(AT) == "2026-08-31"


def test_the_list_keeps_the_first_reaction_and_the_deadlines() -> None:
    registered, assigned, first, second = _complaint().collect_events()
    projection = ComplaintListProjection(None)
    insert, text = projection.changes(registered)
    assert isinstance(insert, Insert) and isinstance(text, Insert) and text.row["text"] == "Яма у подъезда"
    assert insert.row["deadline_at"] - insert.row["received_at"] == 4 * 3600 * 10**6
    (update,) = projection.changes(first)
    assert isinstance(update, Update) and "reacted_at" in update.fill and update.set["status"] == "responded"
    assert projection.changes(second)[0].fill == {"reacted_at": update.fill["reacted_at"] + 2 * 3600 * 10**6}


def test_volume_counts_a_registration_in_every_breakdown_of_its_moscow_month() -> None:
    registered = _complaint().collect_events()[0]
    counts = VolumeProjection(None).changes(registered)
    assert {(c.key["breakdown"], c.key["label"]) for c in counts if isinstance(c, Count)} == {
        ("all", ""),
        ("category", "roads"),
        ("district", "Кировский"),
        ("channel", "vk"),
    }
    assert {c.key["month"] for c in counts} == {"2026-09"}


def test_events_a_read_model_does_not_use_change_nothing() -> None:
    assigned = _complaint().collect_events()[1]
    assert VolumeProjection(None).changes(assigned) == ()
    assert ReactionProjection(None).changes(assigned)[0].set == {"organisation": "ДГХ"}


def test_a_reassignment_hands_the_holding_to_the_new_organisation() -> None:
    complaint = _complaint()
    complaint.assign("Управляющая компания", actor="operator:test", at=AT + timedelta(hours=4))
    reassigned = complaint.collect_events()[-1]
    release, hold = OrganisationProjection(None).changes(reassigned)
    assert isinstance(release, Update) and release.set == {"holding": 0}
    assert isinstance(hold, Insert) and hold.row["organisation"] == "Управляющая компания"


@given(st.lists(st.integers(min_value=0, max_value=10**9), min_size=1, max_size=60))
def test_percentiles_are_exact(values: list[int]) -> None:
    ordered = sorted(values)
    assert percentile(ordered, 1, 2) == statistics.median(values)
    if len(values) > 1:
        expected = statistics.quantiles(values, n=10, method="inclusive")[8]
        assert abs(percentile(ordered, 9, 10) - expected) <= 1e-6 * max(1, expected)


def test_search_words_lose_their_endings_and_match_as_prefixes() -> None:
    assert fts_query("подъезде") == '"подъезд"*'
    assert fts_query("Ямы во дворах!") == '"ямы" "во" "двор"*'
    assert fts_query("Королёва") == '"королев"*'
    assert fts_query("  ,, ") is None
