"""The projections' rules: what each event changes in its view, in the view's terms, and how
a view keeps it."""

import statistics
from datetime import UTC, datetime, timedelta
from itertools import groupby

from eventsourcing.persistence import Tracking
from hypothesis import given
from hypothesis import strategies as st

from application.projections import organisations, reaction, volume
from application.projections.calendar import month_key, week_key
from application.projections.complaint_list import ComplaintListProjection, Listing, StatusChange
from application.projections.organisations import OrganisationProjection
from application.projections.reaction import BIN_MICROS, ReactionBin, ReactionProjection, percentile
from application.projections.volume import Breakdown, Measure, Tally, VolumeProjection
from domain.complaint import Complaint
from domain.lifecycle import Status
from domain.reaction import ReactionPolicy
from interfaces.bootstrap import Services

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


def test_the_list_takes_the_deadlines_and_each_reply() -> None:
    registered, assigned, first, second = _complaint().collect_events()
    projection = ComplaintListProjection(None)
    (listing,) = projection.changes(registered)
    assert isinstance(listing, Listing) and listing.text == "Яма у подъезда"
    assert listing.deadline - listing.received_at == timedelta(hours=4)
    assert projection.changes(first) == (
        StatusChange(first.originator_id, 3, first.timestamp, Status.RESPONDED, reply=True),
    )
    (later,) = projection.changes(second)
    assert later.reply and later.at - first.timestamp == timedelta(hours=2)


def test_volume_counts_a_registration_in_every_breakdown_of_its_moscow_month(services: Services) -> None:
    registered = _complaint().collect_events()[0]
    changes = VolumeProjection(None).changes(registered)
    assert changes == (volume.Registration(registered.timestamp, "roads", "Кировский", "vk"),)
    view = services.read_models.views.volume
    view.apply(changes, Tracking("test", 1))
    assert [
        view.tallies(Measure.REGISTERED, breakdown, None, None)
        for breakdown in (Breakdown.ALL, Breakdown.CATEGORY, Breakdown.DISTRICT, Breakdown.CHANNEL)
    ] == [
        [Tally("2026-09", Measure.REGISTERED, Breakdown.ALL, None, 1)],
        [Tally("2026-09", Measure.REGISTERED, Breakdown.CATEGORY, "roads", 1)],
        [Tally("2026-09", Measure.REGISTERED, Breakdown.DISTRICT, "Кировский", 1)],
        [Tally("2026-09", Measure.REGISTERED, Breakdown.CHANNEL, "vk", 1)],
    ]


def test_events_a_read_model_does_not_use_change_nothing() -> None:
    assigned = _complaint().collect_events()[1]
    assert VolumeProjection(None).changes(assigned) == ()
    assert ReactionProjection(None).changes(assigned) == (reaction.Handover(assigned.originator_id, "ДГХ"),)


def test_a_reassignment_hands_the_holding_to_the_new_organisation() -> None:
    complaint = _complaint()
    complaint.assign("Управляющая компания", actor="operator:test", at=AT + timedelta(hours=4))
    reassigned = complaint.collect_events()[-1]
    assert OrganisationProjection(None).changes(reassigned) == (
        organisations.Assignment(
            reassigned.originator_id, 5, reassigned.timestamp, "Управляющая компания", reassigning=True
        ),
    )


@given(st.lists(st.integers(min_value=-(10**8), max_value=10**11), min_size=1, max_size=60))
def test_percentiles_from_minutes_are_within_a_minute_of_the_exact_ones(values: list[int]) -> None:
    ordered = sorted(values)
    bins = [
        ReactionBin(index, len(members), sum(members))
        for index, group in groupby(ordered, key=lambda value: value // BIN_MICROS)
        for members in [list(group)]
    ]
    assert abs(percentile(bins, 1, 2) - statistics.median(values)) < BIN_MICROS
    if len(values) > 1:
        expected = statistics.quantiles(values, n=10, method="inclusive")[8]
        assert abs(percentile(bins, 9, 10) - expected) < BIN_MICROS
    if len(bins) == len(values):  # a reaction alone in its minute is exact
        median = statistics.median(values)
        assert abs(percentile(bins, 1, 2) - median) <= 1e-6 * max(1, abs(median))
