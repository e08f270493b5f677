"""The reaction figures read from the tallies the store keeps per day, on SQLite and PostgreSQL:
every count equal to one taken over the complaints one by one, the median and 90th percentile
within a minute of the exact ones, whichever way the rows changed (a reply, a handover before
or after it, a duplicate closed past the norm), after a rebuild, and in a view created before
the tallies existed."""

from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta
from itertools import groupby
from typing import Any

import pytest

from adapters.clock import ManualClock
from adapters.config import Settings
from application.commands import Assign, MarkDuplicate, Respond
from application.demo import load_in_batches
from application.projections.calendar import micros, start_of_day
from application.projections.reaction import Dimension, Period, ReactionFigures, ReactionQuery
from interfaces.bootstrap import Services, bootstrap
from tests.support.commands import new_complaint

START = datetime(2026, 8, 1, tzinfo=UTC)
NOW = START + timedelta(days=100)
ACTOR = "operator:test"
QUERIES = [
    ReactionQuery(),
    ReactionQuery(Period.DAY, Dimension.CHANNEL),
    ReactionQuery(Period.WEEK, Dimension.ORGANISATION),
    ReactionQuery(Period.MONTH, Dimension.CATEGORY),
    ReactionQuery(
        Period.WEEK,
        Dimension.NONE,
        start_of_day(START.date() + timedelta(days=20)),
        start_of_day(START.date() + timedelta(days=40)),
    ),
    ReactionQuery(Period.ALL, Dimension.ORGANISATION, start_of_day(START.date() + timedelta(days=31))),
    ReactionQuery(Period.ALL, Dimension.CHANNEL, start_of_day(START.date() + timedelta(days=9))),
]
_BUCKET = {Period.DAY: "day", Period.WEEK: "week", Period.MONTH: "month"}
_KEY = {Dimension.CHANNEL: "channel", Dimension.CATEGORY: "category", Dimension.ORGANISATION: "organisation"}


@pytest.fixture
def loaded(durable_settings: Settings) -> Iterator[Services]:
    clock = ManualClock(START)
    services = bootstrap(durable_settings.model_copy(update={"projection_batch_size": 64}), clock=clock)
    load_in_batches(services.complaints, 300, start=START, batch=50)
    complaints = services.complaints
    handled = []
    for n in range(6):
        received = START + timedelta(days=10 + n, hours=3)
        clock.set(received + timedelta(minutes=5))
        handled.append(complaints.register(new_complaint(900 + n, received_at=received)).complaint_id)
    answered, moved_after, moved_before, duplicate, late_duplicate, waiting = handled
    clock.advance(timedelta(minutes=40))
    for complaint_id in (answered, moved_after, moved_before):
        complaints.handle(Assign(complaint_id, organisation="ДГХ", actor=ACTOR))
    complaints.handle(Assign(moved_before, organisation="Управляющая компания", actor=ACTOR))
    for complaint_id in (answered, moved_after, moved_before):
        complaints.handle(Respond(complaint_id, text="Принято в работу", actor=ACTOR))
    # Handed over after its reaction: the reaction moves to the new organisation's figures.
    complaints.handle(Assign(moved_after, organisation="Департамент транспорта", actor=ACTOR))
    complaints.handle(MarkDuplicate(duplicate, original_id=answered, actor=ACTOR))
    clock.advance(timedelta(hours=6))  # past the norm: closed as a duplicate, it is decided late
    complaints.handle(MarkDuplicate(late_duplicate, original_id=answered, actor=ACTOR))
    assert waiting  # its clock runs still: overdue now, and decided late by now
    clock.set(NOW)
    services.read_models.projectors["reaction"].catch_up()
    yield services
    services.close()


def test_the_figures_equal_those_taken_complaint_by_complaint(loaded: Services) -> None:
    view = loaded.read_models.views.reaction
    facts = view.rows(f"SELECT * FROM {view.table('facts')}")
    for query in QUERIES:
        _assert_close(view.figures(query, NOW), _exact(facts, query, NOW), query)
    every = _exact(facts, ReactionQuery(Period.ALL, Dimension.ORGANISATION), NOW)
    assert view.overdue(Dimension.ORGANISATION, NOW) == {f.key: f.overdue_now for f in every if f.overdue_now}
    assert sum(f.overdue_now for f in every) > 0


def test_a_rebuilt_view_and_one_created_before_the_tallies_keep_the_same_tallies(
    loaded: Services, durable_settings: Settings
) -> None:
    projector = loaded.read_models.projectors["reaction"]
    view = projector.view
    tallies = [view.table("counts"), view.table("times")]
    kept = {t: sorted(map(tuple, view.rows(f"SELECT * FROM {t}"))) for t in tallies}
    assert all(kept.values())
    projector.rebuild()
    assert {t: sorted(map(tuple, view.rows(f"SELECT * FROM {t}"))) for t in tallies} == kept
    # A store from before the tallies: its complaints' rows, and neither tallies nor triggers.
    with view.transaction(commit=True) as cursor:
        for statement in _untallied(view, durable_settings.store):
            cursor.execute(statement)
        for table in tallies:
            cursor.execute(f"DROP TABLE {table}")
    loaded.close()
    reopened = bootstrap(durable_settings, clock=ManualClock(NOW))
    try:
        again = reopened.read_models.views.reaction
        assert {t: sorted(map(tuple, again.rows(f"SELECT * FROM {t}"))) for t in tallies} == kept
    finally:
        reopened.close()


def _untallied(view: Any, store: str) -> list[str]:
    """Drops the triggers keeping the tallies, as a store from before them had none."""
    on = "" if store == "sqlite" else f" ON {view.table('facts')}"
    return [f'DROP TRIGGER "{view.prefix}_tally_{kind}"{on}' for kind in ("insert", "update")]


def _exact(facts: list[Mapping[str, Any]], query: ReactionQuery, now: datetime) -> list[ReactionFigures]:
    """The figures as defined, complaint by complaint."""
    now_micros = micros(now)
    start = None if query.received_from is None else micros(query.received_from)
    end = None if query.received_before is None else micros(query.received_before)
    chosen = [
        row
        for row in facts
        if (start is None or row["received_at"] >= start) and (end is None or row["received_at"] < end)
    ]

    def group(row: Mapping[str, Any]) -> tuple[str, str]:
        bucket = "all" if query.period is Period.ALL else row[_BUCKET[query.period]]
        return bucket, (row[_KEY[query.by]] or "") if query.by in _KEY else ""

    figures = []
    for (bucket, key), rows in groupby(sorted(chosen, key=group), key=group):
        members = list(rows)
        reactions = sorted(r["reacted_at"] - r["received_at"] for r in members if r["reacted_at"] is not None)
        late = [r for r in members if r["reacted_at"] is None and (r["stopped_at"] or now_micros) > r["deadline_at"]]
        figures.append(
            ReactionFigures(
                bucket=bucket,
                key=key or None,
                received=len(members),
                answered=len(reactions),
                decided=len(reactions) + len(late),
                within_target=sum(
                    1 for r in members if r["reacted_at"] is not None and r["reacted_at"] <= r["target_at"]
                ),
                within_norm=sum(
                    1 for r in members if r["reacted_at"] is not None and r["reacted_at"] <= r["deadline_at"]
                ),
                overdue_now=sum(1 for r in late if r["stopped_at"] is None),
                median_seconds=_percentile(reactions, 0.5),
                p90_seconds=_percentile(reactions, 0.9),
            )
        )
    return figures


def _percentile(ordered: list[int], fraction: float) -> float | None:
    """PostgreSQL's percentile_cont, in seconds."""
    if not ordered:
        return None
    rank = (len(ordered) - 1) * fraction
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return (ordered[low] + (ordered[high] - ordered[low]) * (rank - low)) / 1_000_000


def _assert_close(kept: list[ReactionFigures], exact: list[ReactionFigures], query: ReactionQuery) -> None:
    # By group: each store sorts keys by its own collation.
    by_group = {(f.bucket, f.key): f for f in kept}
    assert by_group.keys() == {(f.bucket, f.key) for f in exact} and len(by_group) == len(kept), query
    counts = ("received", "answered", "decided", "within_target", "within_norm", "overdue_now")
    for want in exact:
        got = by_group[(want.bucket, want.key)]
        assert {c: getattr(got, c) for c in counts} == {c: getattr(want, c) for c in counts}, (query, want)
        for measure in ("median_seconds", "p90_seconds"):
            estimated, true = getattr(got, measure), getattr(want, measure)
            assert (estimated is None) == (true is None), (query, want)
            if true is not None:
                assert abs(estimated - true) < 60, (query, want, measure)
