"""Steps for the queues and statistics, on the in-memory store with the projections caught up."""

from datetime import datetime, timedelta
from uuid import UUID

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from adapters.clock import ManualClock
from application.commands import Assign, Register, Respond
from application.projections.calendar import MOSCOW
from application.projections.complaint_list import ComplaintQuery
from application.projections.reaction import ReactionQuery
from domain.reaction import ClockState
from interfaces.bootstrap import Services

OPERATOR = "operator:Анна"

scenarios("queues_and_statistics.feature")


class Published:
    def __init__(self) -> None:
        self.by_age: dict[str, UUID] = {}
        self.count = 0


@pytest.fixture
def published() -> Published:
    return Published()


def _register(services: Services, published: Published, received_at: datetime, category: str = "roads") -> UUID:
    published.count += 1
    return services.complaints.register(
        Register(
            channel="vk",
            source_ref=f"post-{published.count}",
            author_ref="vk:id1",
            text="Яма во дворе",
            received_at=received_at,
            actor=OPERATOR,
            category=category,
        )
    ).complaint_id


def _caught_up(services: Services) -> Services:
    for projector in services.read_models.projectors.values():
        projector.catch_up()
    return services


@given(parsers.re(r'в "(?P<month>\d{4}-\d{2})" зарегистрировано (?P<count>\d+) обращени[ейяй]+'))
def registered_in(services: Services, clock: ManualClock, published: Published, month: str, count: str) -> None:
    clock.set(datetime.fromisoformat(f"{month}-10T12:00").replace(tzinfo=MOSCOW))
    for _ in range(int(count)):
        _register(services, published, clock.now())


@given("зарегистрированы обращения по категориям:")
def by_category(services: Services, clock: ManualClock, published: Published, datatable: list[list[str]]) -> None:
    for category, count in datatable[1:]:
        for _ in range(int(count)):
            _register(services, published, clock.now(), category)


@given(parsers.parse('сейчас "{moment}" по Москве'))
def now_is(clock: ManualClock, moment: str) -> None:
    clock.set(datetime.fromisoformat(moment).replace(tzinfo=MOSCOW))


@given("опубликованы обращения 5, 3 и 1 час назад и 30 минут назад")
def published_ago(services: Services, clock: ManualClock, published: Published) -> None:
    for age in (timedelta(hours=5), timedelta(hours=3), timedelta(hours=1), timedelta(minutes=30)):
        published.by_age[str(age)] = _register(services, published, clock.now() - age)


@given(parsers.re(r"на обращение, опубликованное (?P<amount>\d+) (?P<unit>час|минут)\w* назад, ответили сразу"))
def answered(services: Services, published: Published, amount: str, unit: str) -> None:
    age = timedelta(hours=int(amount)) if unit == "час" else timedelta(minutes=int(amount))
    complaint_id = published.by_age[str(age)]
    services.complaints.handle(Assign(complaint_id, organisation="ДГХ", actor=OPERATOR))
    services.complaints.handle(Respond(complaint_id, text="Передано в ДГХ", actor=OPERATOR))


@when(parsers.parse("проходит {hours:d} час {minutes:d} минут"))
def time_passes(clock: ManualClock, hours: int, minutes: int) -> None:
    clock.advance(timedelta(hours=hours, minutes=minutes))


@then(parsers.re(r"в среднем за месяц зарегистрировано (?P<average>\d+) обращени[ейяй]+"))
def monthly_average(services: Services, average: str) -> None:
    assert _caught_up(services).read_models.volume(None, None).value.monthly_average == int(average)


@then(parsers.parse('рост за "{month}" к предыдущему месяцу составил {percent:d}%'))
def growth(services: Services, month: str, percent: int) -> None:
    months = {m.month: m for m in _caught_up(services).read_models.volume(None, None).value.months}
    assert months[month].registered_growth == pytest.approx(percent / 100)


@then(parsers.parse('первые три категории — "{first}", "{second}", "{third}"'))
def top_three(services: Services, first: str, second: str, third: str) -> None:
    ranking = _caught_up(services).read_models.categories(None, None).value
    assert [share.key for share in ranking[:3]] == [first, second, third]


@then(parsers.parse('доля категории "{category}" — {percent:d}%'))
def category_share(services: Services, category: str, percent: int) -> None:
    shares = {s.key: s.share for s in _caught_up(services).read_models.categories(None, None).value}
    assert shares[category] == pytest.approx(percent / 100)


@then(
    parsers.re(
        r"в пределах норматива 4 часа дан (?P<within>\d+) ответ\w* из (?P<decided>\d+) решённых, "
        r"доля (?P<percent>\d+)%"
    )
)
def within_norm(services: Services, within: str, decided: str, percent: str) -> None:
    (overall,) = _caught_up(services).read_models.reaction(ReactionQuery()).value
    assert (overall.within_norm, overall.decided) == (int(within), int(decided))
    assert overall.within_norm_share == pytest.approx(int(percent) / 100)


@then(parsers.re(r"в очереди просроченных (?P<count>\d+) обращени[ейяй]+"))
def overdue_queue(services: Services, count: str) -> None:
    query = ComplaintQuery(clock=(ClockState.OVERDUE,), running=True)
    assert len(_caught_up(services).read_models.complaints(query).value.items) == int(count)
