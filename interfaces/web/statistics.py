"""The statistics page: the centre's figures for a month, as charts, downloads and a print.

Every figure comes from the read models the statistics API answers from (ReadModels); this
module only chooses the month's range, names things in Russian and lays the figures out.
Each chart is drawn from a Table, and the same Table is what its CSV and XLSX hold.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Annotated

from litestar import Controller, Response, get
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, QueryParameter
from litestar.response import Template
from markupsafe import Markup

from application.projections.calendar import MOSCOW, month_key, previous_month, start_of_day
from application.projections.reaction import Dimension, Period, ReactionFigures, ReactionQuery
from application.projections.readmodels import ReadModels
from interfaces.web import charts
from interfaces.web.charts import Series
from interfaces.web.names import CATEGORIES, CHANNELS, MONTHS
from interfaces.web.tables import Column, Kind, Table

_MONTH = r"^2[0-9]{3}-(0[1-9]|1[0-2])$"
# How many months the trends look back over, the chosen one included: a year.
_TREND_MONTHS = 12


class Step(StrEnum):
    """How the reaction shares are grouped: the chosen month's weeks, or the year's months."""

    WEEK = "week"
    MONTH = "month"


@dataclass(frozen=True, slots=True)
class Choice:
    month: str
    step: Step

    @property
    def start(self) -> datetime:
        return _month_start(self.month)

    @property
    def before(self) -> datetime:
        return _month_start(_next_month(self.month))

    @property
    def year_start(self) -> datetime:
        return _month_start(_months_back(self.month, _TREND_MONTHS - 1))

    @property
    def title(self) -> str:
        return month_title(self.month)


@dataclass(frozen=True, slots=True)
class Section:
    table: Table
    charts: tuple[Markup, ...]
    summary: tuple[tuple[str, str], ...] = ()
    empty: str = "За этот месяц данных нет."


def _month_start(month: str) -> datetime:
    return start_of_day(datetime.strptime(month + "-01", "%Y-%m-%d").date())


def _next_month(month: str) -> str:
    year, number = int(month[:4]), int(month[5:7])
    return f"{year + 1}-01" if number == 12 else f"{year}-{number + 1:02d}"


def _months_back(month: str, count: int) -> str:
    for _ in range(count):
        month = previous_month(month)
    return month


def month_title(month: str) -> str:
    return f"{MONTHS[int(month[5:7]) - 1]} {month[:4]}"


def _short_month(month: str) -> str:
    return f"{MONTHS[int(month[5:7]) - 1][:3]} {month[2:4]}"


def _week_title(monday: str) -> str:
    return f"с {monday[8:10]}.{monday[5:7]}"


def _minutes(seconds: float | None) -> float | None:
    return None if seconds is None else seconds / 60


def _category(key: str | None) -> str:
    return CATEGORIES.get(key or "", key or "без категории")


def _channel(key: str | None) -> str:
    return CHANNELS.get(key or "", key or "—")


def _organisation(key: str | None) -> str:
    return key or "не назначена"


# The sections, each from its own read-model queries, so a download asks only for its own.


def volume(read_models: ReadModels, choice: Choice) -> Section:
    figures = read_models.volume(None, choice.month).value
    if len(figures.months) > _TREND_MONTHS:
        figures = read_models.volume(_months_back(choice.month, _TREND_MONTHS - 1), choice.month).value
    table = Table(
        "volume",
        "Поступило и решено по месяцам",
        (
            Column("Месяц", Kind.TEXT),
            Column("Зарегистрировано"),
            Column("Рост регистраций", Kind.SHARE),
            Column("Решено"),
            Column("Рост решённых", Kind.SHARE),
        ),
        tuple(
            (row.month, row.registered, row.registered_growth, row.resolved, row.resolved_growth)
            for row in figures.months
        ),
    )
    labels = [_short_month(row.month) for row in figures.months]
    chart = charts.columns(
        table.title,
        labels,
        [
            Series("Зарегистрировано", [row.registered for row in figures.months], "s1"),
            Series("Решено", [row.resolved for row in figures.months], "s2"),
        ],
        charts.count,
    )
    summary = [("Зарегистрировано за период", charts.count(figures.registered))]
    summary.append(("Решено за период", charts.count(figures.resolved)))
    if figures.monthly_average is not None:
        summary.append(("В среднем за месяц", charts.count(figures.monthly_average)))
    if figures.months and figures.months[-1].registered_growth is not None:
        summary.append((f"Рост за {choice.title}", charts.percent(figures.months[-1].registered_growth)))
    return Section(table, (chart,), tuple(summary))


def categories(read_models: ReadModels, choice: Choice) -> Section:
    shares = read_models.categories(choice.month, choice.month).value
    table = Table(
        "categories",
        "Категории по числу обращений",
        (Column("Место"), Column("Категория", Kind.TEXT), Column("Обращений"), Column("Доля", Kind.SHARE)),
        tuple((rank, _category(share.key), share.count, share.share) for rank, share in enumerate(shares, start=1)),
    )
    chart = charts.bars(
        table.title,
        [_category(share.key) for share in shares],
        [Series("Доля", [share.share for share in shares], "s1")],
        charts.percent,
    )
    return Section(table, (chart,))


def _reaction_columns(first: str) -> tuple[Column, ...]:
    return (
        Column(first, Kind.TEXT),
        Column("Поступило"),
        Column("Отвечено"),
        Column("Медиана реакции", Kind.MINUTES),
        Column("90-й перцентиль", Kind.MINUTES),
        Column("В пределах 2 ч", Kind.SHARE),
        Column("В пределах 4 ч", Kind.SHARE),
        Column("Просрочено сейчас"),
    )


def _reaction_row(
    label: str, f: ReactionFigures
) -> tuple[str, int, int, float | None, float | None, float | None, float | None, int]:
    return (
        label,
        f.received,
        f.answered,
        _minutes(f.median_seconds),
        _minutes(f.p90_seconds),
        f.within_target_share,
        f.within_norm_share,
        f.overdue_now,
    )


def _by_step(read_models: ReadModels, choice: Choice) -> tuple[list[ReactionFigures], Callable[[str], str], str]:
    if choice.step is Step.WEEK:
        query = ReactionQuery(Period.WEEK, Dimension.NONE, choice.start, choice.before)
        return read_models.reaction(query).value, _week_title, "Неделя"
    query = ReactionQuery(Period.MONTH, Dimension.NONE, choice.year_start, choice.before)
    return read_models.reaction(query).value, _short_month, "Месяц"


def reaction(read_models: ReadModels, choice: Choice) -> Section:
    """The median and the 90th percentile, and the shares within 2 h and 4 h: for the month, and
    by week of the month or by month of the year. One table holds both charts' figures."""
    figures, label, first = _by_step(read_models, choice)
    table = Table(
        "reaction",
        "Время реакции и ответы в срок",
        _reaction_columns(first),
        tuple(_reaction_row(f.bucket, f) for f in figures),
    )
    labels = [label(f.bucket) for f in figures]
    times = charts.columns(
        "Время реакции",
        labels,
        [
            Series("Медиана", [_minutes(f.median_seconds) for f in figures], "s1"),
            Series("90-й перцентиль", [_minutes(f.p90_seconds) for f in figures], "s2"),
        ],
        charts.minutes,
    )
    shares = charts.columns("Доля ответов в срок", labels, _share_series(figures), charts.percent, top=1.0)
    month = read_models.reaction(ReactionQuery(Period.ALL, Dimension.NONE, choice.start, choice.before)).value
    summary: list[tuple[str, str]] = []
    if month:
        whole = month[0]
        for title, value, fmt in (
            ("Медиана за месяц", _minutes(whole.median_seconds), charts.minutes),
            ("90-й перцентиль за месяц", _minutes(whole.p90_seconds), charts.minutes),
            ("В пределах 2 ч", whole.within_target_share, charts.percent),
            ("В пределах 4 ч", whole.within_norm_share, charts.percent),
        ):
            summary.append((title, "нет данных" if value is None else fmt(value)))
    return Section(table, (times, shares), tuple(summary))


def _share_series(figures: list[ReactionFigures]) -> list[Series]:
    return [
        Series("В пределах 2 ч", [f.within_target_share for f in figures], "s1"),
        Series("В пределах 4 ч", [f.within_norm_share for f in figures], "s2"),
    ]


def _by(
    dimension: Dimension, name: str, title: str, first: str, key: Callable[[str | None], str]
) -> Callable[[ReadModels, Choice], Section]:
    def section(read_models: ReadModels, choice: Choice) -> Section:
        query = ReactionQuery(Period.ALL, dimension, choice.start, choice.before)
        figures = sorted(read_models.reaction(query).value, key=lambda f: -f.received)
        table = Table(name, title, _reaction_columns(first), tuple(_reaction_row(key(f.key), f) for f in figures))
        chart = charts.bars(title, [key(f.key) for f in figures], _share_series(figures), charts.percent, top=1.0)
        return Section(table, (chart,))

    return section


def overdue(read_models: ReadModels, choice: Choice) -> Section:
    """Unanswered past the norm at this moment, whenever they came: the month does not matter."""
    counted = read_models.overdue(Dimension.ORGANISATION).value
    late = sorted(counted.items(), key=lambda item: (-item[1], item[0] or ""))
    table = Table(
        "overdue",
        "Просрочено сейчас",
        (Column("Организация", Kind.TEXT), Column("Просрочено")),
        tuple((_organisation(key), n) for key, n in late),
    )
    chart = charts.bars(
        table.title,
        [_organisation(key) for key, _ in late],
        [Series("Просрочено", [n for _, n in late], "s3")],
        charts.count,
    )
    total = sum(counted.values())
    return Section(table, (chart,), (("Всего просрочено сейчас", charts.count(total)),), "Просроченных обращений нет.")


SECTIONS: dict[str, Callable[[ReadModels, Choice], Section]] = {
    "volume": volume,
    "categories": categories,
    "reaction": reaction,
    "channels": _by(Dimension.CHANNEL, "channels", "Ответы в срок по каналам", "Канал", _channel),
    "organisations": _by(
        Dimension.ORGANISATION, "organisations", "Ответы в срок по организациям", "Организация", _organisation
    ),
    "overdue": overdue,
}

MonthParameter = Annotated[
    str | None, QueryParameter(pattern=_MONTH, required=False, description="YYYY-MM; default: this month")
]
StepParameter = Annotated[Step, QueryParameter(required=False, description="week or month")]

_CONSOLE = {"console": True}
_CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class StatisticsPage(Controller):
    path = "/statistics"
    include_in_schema = False

    @get("/", operation_id="consoleStatistics", sync_to_thread=True, opt=_CONSOLE)
    def page(
        self, read_models: NamedDependency[ReadModels], month: MonthParameter = None, step: StepParameter = Step.WEEK
    ) -> Template:
        now = read_models.clock.now()
        choice = Choice(month or month_key(now), step)
        return Template(
            template_name="statistics.html",
            context={
                "choice": choice,
                "sections": [builder(read_models, choice) for builder in SECTIONS.values()],
                "made_at": now.astimezone(MOSCOW),
                "months": [_months_back(month_key(now), back) for back in range(_TREND_MONTHS * 2)],
                "month_title": month_title,
            },
        )

    @get("/{file:str}", operation_id="consoleStatisticsExport", sync_to_thread=True, opt=_CONSOLE)
    def export(
        self,
        file: FromPath[str],
        read_models: NamedDependency[ReadModels],
        month: MonthParameter = None,
        step: StepParameter = Step.WEEK,
    ) -> Response[bytes]:
        # One chart's table as a file: "categories.csv", "volume.xlsx".
        name, _, fmt = file.partition(".")
        builder = SECTIONS.get(name)
        if builder is None or fmt not in _CONTENT_TYPES:
            raise NotFoundException(f"no table {file}")
        choice = Choice(month or month_key(read_models.clock.now()), step)
        table = builder(read_models, choice).table
        content = table.to_csv() if fmt == "csv" else table.to_xlsx()
        filename = f"mcu-{table.name}-{choice.month}.{fmt}"
        return Response(
            content,
            media_type=_CONTENT_TYPES[fmt],
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )
