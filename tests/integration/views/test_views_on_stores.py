"""The read models on SQLite and PostgreSQL: same answers, exactly-once writes, rebuilds."""

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from eventsourcing.persistence import IntegrityError, Tracking

from adapters.clock import ManualClock
from adapters.config import Settings
from application.commands import Assign, Clarify, MarkDuplicate, Reject, RequestClarification, Respond
from application.demo import load_in_batches
from application.projections.complaint_list import ComplaintQuery, Sort, SortKey
from application.projections.reaction import Dimension, Period, ReactionQuery
from application.projections.view import PositionMoved
from domain.reaction import ClockState
from interfaces.bootstrap import Services, bootstrap
from tests.support.commands import new_complaint

START = datetime(2026, 8, 1, tzinfo=UTC)


@pytest.fixture
def loaded(durable_settings: Settings) -> Iterator[Services]:
    clock = ManualClock(START + timedelta(days=100))
    services = bootstrap(durable_settings.model_copy(update={"projection_batch_size": 64}), clock=clock)
    load_in_batches(services.complaints, 100, start=START, batch=50)
    for projector in services.read_models.projectors.values():
        projector.catch_up()
    yield services
    services.close()


def test_figures_and_queues(loaded: Services) -> None:
    read = loaded.read_models
    (overall,) = read.reaction(ReactionQuery()).value
    assert overall.received == 100 and 0 < overall.within_norm <= overall.answered <= 100
    months = read.reaction(ReactionQuery(Period.MONTH, Dimension.CATEGORY)).value
    assert sum(row.received for row in months) == 100
    volume = read.volume(None, None).value
    assert volume.registered == 100 and [m.month for m in volume.months] == ["2026-08", "2026-09", "2026-10"]
    assert sum(s.count for s in read.categories(None, None).value) == 100
    page = read.complaints(ComplaintQuery(text="подъезде", limit=500)).value
    assert page.items and all("подъезд" in item.summary for item in page.items)
    assert read.complaints(ComplaintQuery(running=True, limit=500)).value.items == [
        item for item in read.complaints(ComplaintQuery(limit=500)).value.items if item.clock_running
    ]


def test_an_event_is_applied_once_and_a_moved_position_is_refused(loaded: Services) -> None:
    projector = loaded.read_models.projectors["volume"]
    position = projector.position()
    with pytest.raises(IntegrityError):  # this position is recorded already
        projector.view.apply([], Tracking(loaded.complaints.name, position))
    with pytest.raises(PositionMoved):
        projector.view.apply([], Tracking(loaded.complaints.name, position + 1), after=position - 1)
    assert projector.position() == position


def test_a_rebuild_equals_the_live_view(loaded: Services) -> None:
    for projector in loaded.read_models.projectors.values():
        view = projector.view
        tables = [view.table(t) for t in view.tables if t != "search"]
        before = {t: sorted(map(tuple, view.rows(f"SELECT * FROM {t}"))) for t in tables}
        projector.rebuild()
        assert {t: sorted(map(tuple, view.rows(f"SELECT * FROM {t}"))) for t in tables} == before
    # A second rebuild finds the names a first one used free again.
    loaded.read_models.projectors["complaint_list"].rebuild()


def test_a_failed_rebuild_leaves_the_live_view_serving_and_a_new_one_resumes(
    loaded: Services, durable_settings: Settings
) -> None:
    projector = loaded.read_models.projectors["complaint_list"]
    projector.catch_up()
    before = _searches(loaded)
    last = projector.app.recorder.max_notification_id() or 0
    projector.batch_size = 7

    def failing(step: int) -> None:
        if projector.rebuilt_position() >= last // 2:
            raise RuntimeError("the disk is full")

    with pytest.raises(RuntimeError):
        projector.rebuild(progress=failing)
    assert projector.view.rebuilding() and 0 < projector.rebuilt_position() < last
    assert projector.position() == last and _searches(loaded) == before  # the live view never left

    restarted = bootstrap(durable_settings, clock=ManualClock(START + timedelta(days=100)))
    try:
        resumed = restarted.read_models.projectors["complaint_list"]
        assert resumed.rebuilt_position() == projector.rebuilt_position()
        resumed.rebuild()
        assert not resumed.view.rebuilding() and resumed.position() == last
        assert _searches(restarted) == before
    finally:
        restarted.close()


def _searches(services: Services) -> dict[str, list[str]]:
    read = services.read_models
    return {
        word: [item.id for item in read.complaints(ComplaintQuery(text=word, limit=500)).value.items]
        for word in ("подъезде", "освещение", "двор", "Садовая", "шлагбаум", "нет-такого-слова")
    }


def test_a_rebuild_interrupted_and_resumed_after_a_restart_searches_as_the_live_view(
    loaded: Services, durable_settings: Settings
) -> None:
    # A text written before the restart is changed after it: the search of the rebuilt view
    # must still end whole (a text search index that misses a changed row is corrupt).
    complaints = loaded.complaints
    first = complaints.register(
        new_complaint(900, text="Сломан шлагбаум во дворе", received_at=START + timedelta(days=99))
    )
    complaints.handle(RequestClarification(first.complaint_id, question="Какой адрес?", actor="operator:1"))
    complaints.handle(Clarify(first.complaint_id, text="Шлагбаум у дома 5", address="ул. Садовая, 5", actor="citizen"))
    projector = loaded.read_models.projectors["complaint_list"]
    projector.catch_up()
    before = _searches(loaded)
    assert before["подъезде"] and before["шлагбаум"] == [str(first.complaint_id)]
    registered_at = (projector.app.recorder.max_notification_id() or 0) - 2
    projector.batch_size = 1

    def gone(step: int) -> None:
        if projector.rebuilt_position() >= registered_at:
            raise KeyboardInterrupt  # the process is gone after the registration's batch

    with pytest.raises(KeyboardInterrupt):
        projector.rebuild(progress=gone)
    assert projector.rebuilt_position() == registered_at
    restarted = bootstrap(durable_settings, clock=ManualClock(START + timedelta(days=100)))
    try:
        resumed = restarted.read_models.projectors["complaint_list"]
        assert resumed.view.rebuilding()
        resumed.rebuild()
        assert _searches(restarted) == before
    finally:
        restarted.close()


def test_the_queue_ranks_running_clocks_by_deadline_then_stopped_ones_and_pages_across_both(
    durable_settings: Settings,
) -> None:
    clock = ManualClock(START)
    services = bootstrap(durable_settings, clock=clock)
    try:
        complaints = services.complaints
        # Twelve complaints published 5 h to 10 min ago: the oldest are overdue.
        ids = [
            complaints.register(
                new_complaint(n, received_at=START - timedelta(minutes=300 - 25 * n), actor="operator:1")
            ).complaint_id
            for n in range(12)
        ]
        # Four clocks stop, each a minute after the last, by every kind of stop: an answer, a
        # clarification request, a rejection and a duplicate's closing. The first two would
        # rank first by their deadlines.
        stops = [
            (ids[0], Respond(ids[0], text="Принято в работу", actor="operator:1")),
            (ids[1], RequestClarification(ids[1], question="Какой адрес?", actor="operator:1")),
            (ids[7], Reject(ids[7], reason="Не по адресу", actor="operator:1")),
            (ids[10], MarkDuplicate(ids[10], original_id=ids[3], actor="operator:1")),
        ]
        complaints.handle(Assign(ids[0], organisation="ДГХ", actor="operator:1"))
        for _, command in stops:
            clock.advance(timedelta(minutes=1))
            complaints.handle(command)
        for projector in services.read_models.projectors.values():
            projector.catch_up()
        stopped = [str(complaint_id) for complaint_id, _ in reversed(stops)]  # the latest stopped first
        running = [str(i) for i in ids if str(i) not in stopped]  # published, hence due, in this order
        query = ComplaintQuery(sort=Sort(SortKey.URGENCY), limit=3)

        seen: list[str] = []
        after = None
        while True:
            page = services.read_models.complaints(replace(query, after=after)).value
            seen += [item.id for item in page.items]
            if page.next_after is None:
                break
            after = page.next_after

        assert seen == running + stopped
        assert page.items[-1].clock_running is False
        # Three were overdue when their clocks stopped or are now; the one still running leads.
        overdue = services.read_models.complaints(replace(query, clock=(ClockState.OVERDUE,), limit=50)).value
        assert [item.id for item in overdue.items] == [str(ids[2]), str(ids[1]), str(ids[0])]
    finally:
        services.close()
