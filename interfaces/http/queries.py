"""The centre's statistics: read-only resources over the projected views.

Each answer waits (up to MCU_READ_WAIT_SECONDS) until its view holds every event recorded
before the request, so a client reads its own writes; ``X-View-Lag`` says how many events
the answer may still miss when that wait ran out. The queue (the complaint resource's list,
interfaces/http/complaints.py) answers the same way, with the same day range.
"""

from datetime import date, datetime, timedelta
from typing import Annotated, Any

import msgspec
from litestar import Controller, Response, get
from litestar.di import NamedDependency
from litestar.exceptions import ClientException
from litestar.params import FromQuery, QueryParameter
from msgspec import Meta, Struct

from application.projections.calendar import start_of_day
from application.projections.reaction import (
    Dimension,
    Period,
    ReactionFigures,
    ReactionQuery,
)
from application.projections.readmodels import Fresh, ReadModels

_EARLIEST, _LATEST = date(2000, 1, 1), date(2999, 12, 30)
_MONTH = r"^2[0-9]{3}-(0[1-9]|1[0-2])$"

Month = Annotated[
    str | None, QueryParameter(pattern=_MONTH, description="YYYY-MM (2000–2999), inclusive", required=False)
]
ReceivedFrom = Annotated[
    date | None, QueryParameter(required=False, description="first day of publication (Moscow), inclusive")
]
ReceivedTo = Annotated[
    date | None, QueryParameter(required=False, description="last day of publication (Moscow), inclusive")
]


class ReactionRow(Struct, frozen=True):
    bucket: Annotated[str, Meta(description="the day, the week's Monday, the month, or 'all'")]
    key: Annotated[str | None, Meta(description="the channel, category or organisation")]
    received: int
    answered: int
    decided: Annotated[int, Meta(description="answered, or unanswered past the deadline")]
    within_target: int
    within_norm: int
    within_target_share: float | None
    within_norm_share: float | None
    overdue_now: Annotated[int, Meta(description="still unanswered and past the deadline now")]
    median_seconds: float | None
    p90_seconds: float | None


class ReactionReport(Struct, frozen=True):
    period: str
    by: str
    overall: ReactionRow
    rows: list[ReactionRow]


class MonthRow(Struct, frozen=True):
    month: str
    registered: int
    resolved: int
    registered_growth: Annotated[float | None, Meta(description="against the previous month")]
    resolved_growth: float | None


class ShareRow(Struct, frozen=True):
    key: str | None
    count: int
    share: float


class VolumeReport(Struct, frozen=True):
    first_month: str | None
    last_month: str | None
    months: list[MonthRow]
    registered: int
    resolved: int
    monthly_average: Annotated[float | None, Meta(description="registered per month over the period")]
    by_district: list[ShareRow]
    by_channel: list[ShareRow]


class CategoryRow(Struct, frozen=True):
    rank: int
    category: str | None
    count: int
    share: float


class CategoryRanking(Struct, frozen=True):
    registered: int
    categories: list[CategoryRow]


class OrganisationRow(Struct, frozen=True):
    organisation: str
    assigned: int
    responded: int
    responded_within_norm: int
    within_norm_share: Annotated[float | None, Meta(description="responded within the norm, of assigned")]
    resolved: int
    reopened: int


class OrganisationReport(Struct, frozen=True):
    organisations: list[OrganisationRow]


def with_view_lag(fresh: Fresh[Any], content: Any) -> Response[Any]:
    return Response(content, headers={"X-View-Lag": str(fresh.lag)})


def day_start(day: date | None, what: str, *, next_day: bool = False) -> datetime | None:
    if day is None:
        return None
    if not _EARLIEST <= day <= _LATEST:
        raise ClientException(f"{what} must be between {_EARLIEST} and {_LATEST}")
    return start_of_day(day + timedelta(days=1) if next_day else day)


def _reaction_row(figures: ReactionFigures) -> ReactionRow:
    return ReactionRow(
        bucket=figures.bucket,
        key=figures.key,
        received=figures.received,
        answered=figures.answered,
        decided=figures.decided,
        within_target=figures.within_target,
        within_norm=figures.within_norm,
        within_target_share=figures.within_target_share,
        within_norm_share=figures.within_norm_share,
        overdue_now=figures.overdue_now,
        median_seconds=figures.median_seconds,
        p90_seconds=figures.p90_seconds,
    )


_QUERY = {"sync_to_thread": True}
_NOTHING = ReactionFigures("all", None, 0, 0, 0, 0, 0, 0, None, None)


class StatisticsController(Controller):
    path = "/api/v1/stats"
    tags = ["statistics"]

    @get(
        "/reaction",
        operation_id="getReactionStats",
        **_QUERY,
        summary="Reaction times: median, 90th percentile, shares within the target and the norm",
        description="Grouped by the day, week or month of publication (Moscow time) and optionally "
        "by channel, category or organisation. Counts and shares are exact; the median and the 90th "
        "percentile are within a minute of the exact ones (reactions are tallied per whole minute).",
    )
    def reaction(
        self,
        read_models: NamedDependency[ReadModels],
        period: FromQuery[Period] = Period.MONTH,
        by: FromQuery[Dimension] = Dimension.NONE,
        received_from: ReceivedFrom = None,
        received_to: ReceivedTo = None,
    ) -> Response[ReactionReport]:
        start = day_start(received_from, "received_from")
        before = day_start(received_to, "received_to", next_day=True)
        fresh = read_models.reaction(ReactionQuery(period, by, start, before))
        overall = read_models.reaction(ReactionQuery(Period.ALL, Dimension.NONE, start, before)).value
        return with_view_lag(
            fresh,
            ReactionReport(
                period=period.value,
                by=by.value,
                overall=_reaction_row(overall[0] if overall else _NOTHING),
                rows=[_reaction_row(figures) for figures in fresh.value],
            ),
        )

    @get(
        "/volume",
        operation_id="getVolumeStats",
        **_QUERY,
        summary="Registered and resolved per month, growth, the monthly average, districts and channels",
        description="Months are Moscow calendar months; without a range, every month with registrations.",
    )
    def volume(
        self, read_models: NamedDependency[ReadModels], from_month: Month = None, to_month: Month = None
    ) -> Response[VolumeReport]:
        fresh = read_models.volume(from_month, to_month)
        return with_view_lag(fresh, msgspec.convert(fresh.value, VolumeReport, from_attributes=True))

    @get(
        "/categories",
        operation_id="getCategoryStats",
        **_QUERY,
        summary="Categories ranked by complaints registered, with their shares",
    )
    def categories(
        self, read_models: NamedDependency[ReadModels], from_month: Month = None, to_month: Month = None
    ) -> Response[CategoryRanking]:
        fresh = read_models.categories(from_month, to_month)
        return with_view_lag(
            fresh,
            CategoryRanking(
                registered=sum(share.count for share in fresh.value),
                categories=[
                    CategoryRow(rank, share.key, share.count, share.share)
                    for rank, share in enumerate(fresh.value, start=1)
                ],
            ),
        )

    @get(
        "/organisations",
        operation_id="getOrganisationStats",
        **_QUERY,
        summary="Per organisation: assigned, responded within the norm, resolved, reopened",
        description="For assignments made in the month range; a reassigned complaint counts for each body.",
    )
    def organisations(
        self, read_models: NamedDependency[ReadModels], from_month: Month = None, to_month: Month = None
    ) -> Response[OrganisationReport]:
        fresh = read_models.organisations(from_month, to_month)
        return with_view_lag(
            fresh,
            OrganisationReport(
                [
                    OrganisationRow(
                        organisation=f.organisation,
                        assigned=f.assigned,
                        responded=f.responded,
                        responded_within_norm=f.responded_within_norm,
                        within_norm_share=f.within_norm_share,
                        resolved=f.resolved,
                        reopened=f.reopened,
                    )
                    for f in fresh.value
                ]
            ),
        )
