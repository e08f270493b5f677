"""The read models over the in-memory store: the queues and figures the centre works from."""

from collections.abc import Iterator
from datetime import timedelta
from uuid import UUID

import pytest

from adapters.clock import ManualClock
from application.commands import Assign, Register, Respond
from application.projections.complaint_list import ComplaintQuery, Sort, SortKey
from application.projections.reaction import Dimension, Period, ReactionQuery
from domain.reaction import ClockState
from interfaces.bootstrap import Services

OPERATOR = "operator:test"


def _register(
    services: Services,
    clock: ManualClock,
    ref: str,
    *,
    text: str = "Яма во дворе",
    category: str = "roads",
    channel: str = "vk",
    ago: timedelta = timedelta(0),
) -> UUID:
    return services.complaints.register(
        Register(
            channel=channel,
            source_ref=ref,
            author_ref="vk:id1",
            text=text,
            received_at=clock.now() - ago,
            actor=OPERATOR,
            category=category,
            district="Кировский",
        )
    ).complaint_id


def _catch_up(services: Services) -> None:
    for projector in services.read_models.projectors.values():
        projector.catch_up()


@pytest.fixture
def queue(services: Services, clock: ManualClock) -> Iterator[dict[str, UUID]]:
    """Four complaints: one answered at once, one waiting 1 h, one 3 h, one 5 h."""
    ids = {
        "answered": _register(services, clock, "a", ago=timedelta(minutes=30), text="Не горит фонарь у подъезда"),
        "fresh": _register(services, clock, "b", ago=timedelta(hours=1), category="healthcare"),
        "late": _register(services, clock, "c", ago=timedelta(hours=3), channel="gosuslugi"),
        "overdue": _register(services, clock, "d", ago=timedelta(hours=5)),
    }
    services.complaints.handle(Assign(ids["answered"], organisation="ДГХ", actor=OPERATOR))
    services.complaints.handle(Respond(ids["answered"], text="Передано", actor=OPERATOR))
    _catch_up(services)
    yield ids


def _ids(services: Services, query: ComplaintQuery) -> list[str]:
    return [item.id for item in services.read_models.complaints(query).value.items]


def test_the_clock_state_is_judged_at_query_time(
    services: Services, clock: ManualClock, queue: dict[str, UUID]
) -> None:
    overdue = ComplaintQuery(clock=(ClockState.OVERDUE,), running=True)
    assert _ids(services, overdue) == [str(queue["overdue"])]
    clock.advance(timedelta(hours=1, minutes=30))  # no event, yet the 3-hour one is now overdue
    assert _ids(services, overdue) == [str(queue["overdue"]), str(queue["late"])]
    assert _ids(services, ComplaintQuery(clock=(ClockState.WITHIN_TARGET,))) == [str(queue["answered"])]


def test_filters_and_search(services: Services, queue: dict[str, UUID]) -> None:
    assert _ids(services, ComplaintQuery(category=("healthcare",))) == [str(queue["fresh"])]
    assert _ids(services, ComplaintQuery(channel=("gosuslugi",))) == [str(queue["late"])]
    assert _ids(services, ComplaintQuery(organisation=("ДГХ",), status=("responded",))) == [str(queue["answered"])]
    assert _ids(services, ComplaintQuery(text="подъезде фонари")) == [str(queue["answered"])]


def test_keyset_pages_cover_the_queue_once_in_order(services: Services, queue: dict[str, UUID]) -> None:
    seen: list[str] = []
    after = None
    while True:
        page = services.read_models.complaints(
            ComplaintQuery(sort=Sort(SortKey.RECEIVED, descending=True), limit=3, after=after)
        ).value
        seen += [item.id for item in page.items]
        if page.next_after is None:
            break
        after = page.next_after
    assert seen == [str(queue[k]) for k in ("answered", "fresh", "late", "overdue")]


def test_reaction_figures(services: Services, queue: dict[str, UUID]) -> None:
    (overall,) = services.read_models.reaction(ReactionQuery()).value
    assert (overall.received, overall.answered, overall.overdue_now) == (4, 1, 1)
    assert overall.decided == 2 and overall.within_target_share == 0.5
    assert overall.median_seconds == 30 * 60
    by_channel = services.read_models.reaction(ReactionQuery(Period.DAY, Dimension.CHANNEL)).value
    assert {(row.key, row.received) for row in by_channel} == {("vk", 3), ("gosuslugi", 1)}


def test_volume_and_organisations(services: Services, queue: dict[str, UUID]) -> None:
    report = services.read_models.volume(None, None).value
    assert report.registered == 4 and report.monthly_average == 4
    assert [share.key for share in services.read_models.categories(None, None).value] == ["roads", "healthcare"]
    (organisation,) = services.read_models.organisations(None, None).value
    assert (organisation.organisation, organisation.assigned, organisation.responded_within_norm) == ("ДГХ", 1, 1)


def test_a_rebuilt_view_equals_the_live_one(services: Services, queue: dict[str, UUID]) -> None:
    for name, projector in services.read_models.projectors.items():
        view = projector.view
        tables = [view.table(t) for t in view.tables if t != "search"]
        before = {t: sorted(map(tuple, view.rows(f"SELECT * FROM {t}"))) for t in tables}
        view.begin_rebuild()
        assert view.rebuilding() and projector.rebuilt_position() == 0
        assert {t: sorted(map(tuple, view.rows(f"SELECT * FROM {t}"))) for t in tables} == before  # still serving
        projector.rebuild()
        assert not view.rebuilding()
        assert {t: sorted(map(tuple, view.rows(f"SELECT * FROM {t}"))) for t in tables} == before, name


def test_a_running_projector_follows_on_when_a_rebuilt_view_takes_its_place(
    services: Services, clock: ManualClock
) -> None:
    read = services.read_models
    read.wait_seconds = 15  # threads start, and recover, slowly on a loaded machine
    read.start()
    try:
        first = _register(services, clock, "before")
        assert read.fresh("complaint_list") == 0
        second = _register(services, clock, "after")
        read.projectors["complaint_list"].rebuild()  # what `mcu replay` does, under the running projector
        third = _register(services, clock, "later")
        assert read.fresh("complaint_list") == 0
        listed = {item.id for item in read.complaints(ComplaintQuery()).value.items}
        assert listed == {str(first), str(second), str(third)}
    finally:
        read.stop()
