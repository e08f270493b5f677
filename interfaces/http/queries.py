"""The queues and the centre's statistics: read-only resources over the projected views.

Each answer waits (up to MCU_READ_WAIT_SECONDS) until its view holds every event recorded
before the request, so a client reads its own writes; ``X-View-Lag`` says how many events
the answer may still miss when that wait ran out.
"""

import base64
import binascii
import json
import re
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Controller, Response, get
from litestar.concurrency import sync_to_thread
from litestar.di import NamedDependency
from litestar.exceptions import ClientException
from litestar.params import FromQuery, QueryParameter
from msgspec import Meta, Struct

from application.projections.calendar import start_of_day
from application.projections.complaint_list import ComplaintQuery, Sort, SortKey
from application.projections.reaction import (
    Dimension,
    Period,
    ReactionFigures,
    ReactionQuery,
)
from application.projections.readmodels import Fresh, ReadModels
from domain.complaint import Channel
from domain.lifecycle import Status
from domain.reaction import ClockState
from interfaces.http.complaints import ComplaintController
from interfaces.services import Services

_EARLIEST, _LATEST = date(2000, 1, 1), date(2999, 12, 30)
# Both stores keep the sort keys as 64-bit integers (SQLite refuses a larger Python int).
_INT64 = range(-(2**63), 2**63)
# PostgreSQL refuses NUL in text; no other control character is typed into a search either.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
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
Values = Annotated[list[str] | None, QueryParameter(required=False, max_items=20, description="any of these")]


class ListSort(StrEnum):
    DEADLINE = "deadline"
    DEADLINE_DESCENDING = "-deadline"
    RECEIVED = "received"
    RECEIVED_DESCENDING = "-received"

    def sort(self) -> Sort:
        return Sort(SortKey(self.value.lstrip("-")), descending=self.value.startswith("-"))


class ComplaintListItem(Struct, frozen=True):
    id: str
    version: int
    status: str
    channel: str
    category: str | None
    district: str | None
    organisation: str | None
    executor: str | None
    address: str | None
    summary: Annotated[str, Meta(description="the beginning of the text")]
    received_at: datetime
    registered_at: datetime
    updated_at: datetime
    reaction_target: datetime
    reaction_deadline: datetime
    reacted_at: datetime | None
    clock: Annotated[str, Meta(description="within_target | past_target | overdue, now")]
    clock_running: bool
    reopen_count: int


class ComplaintListPage(Struct, frozen=True):
    items: list[ComplaintListItem]
    next_cursor: Annotated[str | None, Meta(description="pass as `cursor` for the next page")]


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


def _answer(fresh: Fresh[Any], content: Any) -> Response[Any]:
    return Response(content, headers={"X-View-Lag": str(fresh.lag)})


def _day_start(day: date | None, what: str, *, next_day: bool = False) -> datetime | None:
    if day is None:
        return None
    if not _EARLIEST <= day <= _LATEST:
        raise ClientException(f"{what} must be between {_EARLIEST} and {_LATEST}")
    return start_of_day(day + timedelta(days=1) if next_day else day)


def encode_cursor(sort: ListSort, after: tuple[int, str]) -> str:
    raw = json.dumps([sort.value, *after], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, sort: ListSort) -> tuple[int, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        cursor_sort, key, last_id = json.loads(raw)
        # Exactly an int (JSON's true is one to Python) that fits the column, and a complaint id.
        if type(key) is not int or key not in _INT64 or not isinstance(last_id, str):
            raise ValueError
        last_id = str(UUID(last_id))
    except (ValueError, TypeError, binascii.Error):
        raise ClientException("cursor is not one this API handed out") from None
    if cursor_sort != sort.value:
        raise ClientException("cursor belongs to another sort order; start again without it")
    return key, last_id


def _typed(what: str, values: list[str] | str | None) -> tuple[str, ...]:
    """The filter's values, refused (400) if any holds a control character."""
    given = (values,) if isinstance(values, str) else tuple(values or ())
    if any(_CONTROL.search(value) for value in given):
        raise ClientException(f"{what} must not contain control characters")
    return given


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


def _read_models(services: Services) -> ReadModels:
    return services.read_models


class ComplaintResource(ComplaintController):
    """The complaint resource together with its queue. Litestar serves a path from one
    controller only (a second one on the same path re-registers the first one's handlers and
    breaks them), so the queue joins the resource's own controller by inheritance."""

    @get(
        "/",
        operation_id="listComplaints",
        tags=["queues"],
        summary="The queue: complaints filtered, searched and sorted, a page at a time",
        description="Filters combine with AND; repeated values of one filter with OR. "
        "`clock` is judged now: a running clock becomes overdue without any event.",
    )
    async def list_complaints(
        self,
        services: NamedDependency[Services],
        status: Annotated[list[Status] | None, QueryParameter(required=False)] = None,
        category: Values = None,
        channel: Annotated[list[Channel] | None, QueryParameter(required=False)] = None,
        district: Values = None,
        organisation: Values = None,
        clock: Annotated[list[ClockState] | None, QueryParameter(required=False)] = None,
        running: Annotated[
            bool | None, QueryParameter(required=False, description="the reaction clock still runs")
        ] = None,
        received_from: ReceivedFrom = None,
        received_to: ReceivedTo = None,
        q: Annotated[
            str | None,
            QueryParameter(required=False, max_length=200, description="words of the text, clarification or address"),
        ] = None,
        sort: Annotated[
            ListSort, QueryParameter(description="deadline first, or received; '-' for descending")
        ] = ListSort.DEADLINE,
        limit: Annotated[int, QueryParameter(ge=1, le=200)] = 50,
        cursor: Annotated[str | None, QueryParameter(required=False, max_length=400)] = None,
    ) -> Response[ComplaintListPage]:
        query = ComplaintQuery(
            status=tuple(s.value for s in status or ()),
            category=_typed("category", category),
            channel=tuple(c.value for c in channel or ()),
            district=_typed("district", district),
            organisation=_typed("organisation", organisation),
            clock=tuple(clock or ()),
            running=running,
            received_from=_day_start(received_from, "received_from"),
            received_before=_day_start(received_to, "received_to", next_day=True),
            text=_typed("q", q)[0] if q else None,
            sort=sort.sort(),
            limit=limit,
            after=decode_cursor(cursor, sort) if cursor else None,
        )
        fresh = await sync_to_thread(_read_models(services).complaints, query)
        page = fresh.value
        return _answer(
            fresh,
            ComplaintListPage(
                items=[msgspec.convert(item, ComplaintListItem, from_attributes=True) for item in page.items],
                next_cursor=encode_cursor(sort, page.next_after) if page.next_after else None,
            ),
        )


class StatisticsController(Controller):
    path = "/api/v1/stats"
    tags = ["statistics"]

    @get(
        "/reaction",
        operation_id="getReactionStats",
        **_QUERY,
        summary="Reaction times: median, 90th percentile, shares within the target and the norm",
        description="Grouped by the day, week or month of publication (Moscow time) and optionally "
        "by channel, category or organisation. Percentiles are exact.",
    )
    def reaction(
        self,
        services: NamedDependency[Services],
        period: FromQuery[Period] = Period.MONTH,
        by: FromQuery[Dimension] = Dimension.NONE,
        received_from: ReceivedFrom = None,
        received_to: ReceivedTo = None,
    ) -> Response[ReactionReport]:
        start = _day_start(received_from, "received_from")
        before = _day_start(received_to, "received_to", next_day=True)
        read_models = _read_models(services)
        fresh = read_models.reaction(ReactionQuery(period, by, start, before))
        overall = read_models.reaction(ReactionQuery(Period.ALL, Dimension.NONE, start, before)).value
        return _answer(
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
        self, services: NamedDependency[Services], from_month: Month = None, to_month: Month = None
    ) -> Response[VolumeReport]:
        fresh = _read_models(services).volume(from_month, to_month)
        return _answer(fresh, msgspec.convert(fresh.value, VolumeReport, from_attributes=True))

    @get(
        "/categories",
        operation_id="getCategoryStats",
        **_QUERY,
        summary="Categories ranked by complaints registered, with their shares",
    )
    def categories(
        self, services: NamedDependency[Services], from_month: Month = None, to_month: Month = None
    ) -> Response[CategoryRanking]:
        fresh = _read_models(services).categories(from_month, to_month)
        return _answer(
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
        self, services: NamedDependency[Services], from_month: Month = None, to_month: Month = None
    ) -> Response[OrganisationReport]:
        fresh = _read_models(services).organisations(from_month, to_month)
        return _answer(
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
