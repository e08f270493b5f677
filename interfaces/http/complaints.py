"""The complaint resource: registration, the queue, reading, and each move as a sub-resource."""

import base64
import binascii
import json
import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Annotated
from uuid import UUID

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.concurrency import sync_to_thread
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.exceptions import ClientException, PermissionDeniedException
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import Example
from litestar.params import Body, FromPath, HeaderParameter, JSONBody, QueryParameter
from msgspec import Struct

from application.access import Principal
from application.audit.history import ComplaintHistory
from application.city import CityTerms, Term
from application.commands import (
    Assign,
    Clarify,
    ComplaintCommand,
    MarkDuplicate,
    Reject,
    Reopen,
    RequestClarification,
    Resolve,
    Respond,
)
from application.complaints import ComplaintService
from application.errors import ComplaintNotFound
from application.personal_data_access import PersonalDataAccess
from application.projections.complaint_list import ComplaintQuery, Sort, SortKey
from application.projections.readmodels import ReadModels
from application.views import ComplaintView
from domain.complaint import Channel
from domain.lifecycle import Status
from domain.reaction import ClockState
from interfaces.http.auth import PERSONAL_DATA_ROLES
from interfaces.http.dto import (
    REGISTRATION_EXAMPLE,
    Assignment,
    Category,
    Clarification,
    ClarificationRequest,
    Complaint,
    ComplaintListItem,
    ComplaintListPage,
    District,
    Duplicate,
    HistoryEvent,
    PersonalDataRead,
    PublishedText,
    Reason,
    RegisterComplaint,
)
from interfaces.http.dto import (
    Author as AuthorDTO,
)
from interfaces.http.problems import problem_responses
from interfaces.http.queries import ReceivedFrom, ReceivedTo, day_start, with_view_lag
from interfaces.services import Services

_IF_MATCH = re.compile(r'^\s*(?:W/)?"?(\d{1,18})"?\s*$')
# Both stores keep the sort keys as 64-bit integers (SQLite refuses a larger Python int).
_INT64 = range(-(2**63), 2**63)
# PostgreSQL refuses NUL in text; no other control character is typed into a search either.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

AsOf = Annotated[
    str | None,
    QueryParameter(required=False, description="ISO 8601 moment with offset, e.g. 2026-11-28T12:00:00+03:00"),
]
AtVersion = Annotated[int | None, QueryParameter(required=False, ge=1, description="a version of the complaint")]

Values = Annotated[list[str] | None, QueryParameter(required=False, max_items=20, description="any of these")]
Categories = Annotated[
    list[Category] | None, QueryParameter(required=False, max_items=20, description="any of these categories")
]
Districts = Annotated[
    list[District] | None, QueryParameter(required=False, max_items=20, description="any of these districts")
]

IfMatch = Annotated[
    str | None,
    HeaderParameter(
        name="If-Match", required=False, description='the version the caller last saw, as its ETag ("3"); stale → 412'
    ),
]


def _expected_version(if_match: str | None) -> int | None:
    if if_match is None or if_match.strip() == "*":
        return None
    match = _IF_MATCH.match(if_match)
    if match is None:
        raise ClientException(f'If-Match must be an ETag such as "3", not {if_match[:40]!r}')
    return int(match.group(1))


def _moment(text: str) -> datetime:
    # A '+' in a query string arrives as a space unless the client encoded it.
    try:
        moment = datetime.fromisoformat(text.strip().replace(" ", "+"))
    except ValueError:
        raise ClientException(f"as_of is not an ISO 8601 time: {text[:40]!r}") from None
    if moment.tzinfo is None:
        raise ClientException("as_of needs a time zone offset, e.g. +03:00")
    return moment


class ListSort(StrEnum):
    DEADLINE = "deadline"
    DEADLINE_DESCENDING = "-deadline"
    RECEIVED = "received"
    RECEIVED_DESCENDING = "-received"
    URGENCY = "urgency"

    def sort(self) -> Sort:
        return Sort(SortKey(self.value.lstrip("-")), descending=self.value.startswith("-"))


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


def _state(
    view: ComplaintView,
    status_code: int = 200,
    location: bool = False,
    *,
    author: AuthorDTO | None = None,
    forgotten: bool = False,
) -> Response[Complaint]:
    headers = {"ETag": f'"{view.version}"'}
    if location:
        headers["Location"] = f"/api/v1/complaints/{view.id}"
    return Response(Complaint.of(view, author, forgotten=forgotten), status_code=status_code, headers=headers)


def visible(view: ComplaintView, principal: Principal) -> ComplaintView:
    """A machine reads only its own channels' complaints, an executor only those assigned to
    their organisation. Another's complaint answers 404, as if absent, so ids cannot be probed."""
    if not principal.may_read(view.channel) or not principal.may_see(view.organisation):
        raise ComplaintNotFound(view.id)
    return view


# A move's own refusals; those every operation shares are derived (interfaces/http/documented.py).
_COMMAND = {
    "sync_to_thread": True,
    "status_code": 200,
    "responses": problem_responses(409, 412, 422),
}


class ComplaintController(Controller):
    path = "/api/v1/complaints"
    tags = ["complaints"]

    @post(
        "/",
        operation_id="registerComplaint",
        status_code=201,
        responses={
            200: ResponseSpec(Complaint, description="the same post again: its complaint", generate_examples=False),
            **problem_responses(409, 422),
        },
        summary="Register a complaint (idempotent per channel and source_ref)",
        description="201 with Location for a new complaint; 200 with the same complaint for the same post "
        "again; 409 naming the complaint when another post was registered under that channel and source_ref.",
    )
    async def register(
        self,
        data: Annotated[
            RegisterComplaint,
            Body(media_type=RequestEncodingType.JSON, examples=[Example(summary="a call", value=REGISTRATION_EXAMPLE)]),
        ],
        request: Request[Principal, None, None],
    ) -> Response[Complaint]:
        # From the app's state, not injected as the other handlers' services are: resolving one
        # dependency per request was a twentieth of the worker's time on the busiest route, and
        # Litestar resolves two (the registrations and the complaints) in a task group.
        services: Services = request.app.state.services
        if not request.user.may_register(data.channel):
            raise PermissionDeniedException(
                f"this token may not register posts of the channel {data.channel}: a network's posts "
                "come through its adapter or an intake token issued for that channel"
            )
        # Awaited, not run in a worker thread: the group commit's writer does the store work.
        services.terms.check(Term.CATEGORY, (data.category,))
        services.terms.check(Term.DISTRICT, (data.district,))
        registration = await services.registrations.register_async(data.command(actor=request.user.actor))
        view = registration.view or await sync_to_thread(services.complaints.get, registration.complaint_id)
        return _state(view, 201 if registration.created else 200, location=registration.created)

    @get(
        "/",
        operation_id="listComplaints",
        tags=["queues"],
        responses=problem_responses(422),
        summary="The queue: complaints filtered, searched and sorted, a page at a time",
        description="Filters combine with AND; repeated values of one filter with OR. "
        "`clock` is judged now: a running clock becomes overdue without any event.",
    )
    async def list_complaints(
        self,
        read_models: NamedDependency[ReadModels],
        terms: NamedDependency[CityTerms],
        request: Request[Principal, None, None],
        status: Annotated[list[Status] | None, QueryParameter(required=False)] = None,
        category: Categories = None,
        channel: Annotated[list[Channel] | None, QueryParameter(required=False)] = None,
        district: Districts = None,
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
            ListSort,
            QueryParameter(
                description="deadline first, or received; '-' for descending; urgency: running clocks by "
                "deadline, then the stopped ones, the latest stopped first (the console's queue)"
            ),
        ] = ListSort.DEADLINE,
        limit: Annotated[int, QueryParameter(ge=1, le=200)] = 50,
        cursor: Annotated[str | None, QueryParameter(required=False, max_length=400)] = None,
    ) -> Response[ComplaintListPage]:
        categories, districts = _typed("category", category), _typed("district", district)
        terms.check(Term.CATEGORY, categories)
        terms.check(Term.DISTRICT, districts)
        organisations = request.user.organisations_seen(_typed("organisation", organisation))
        if organisations is None:
            return Response(ComplaintListPage(items=[], next_cursor=None))
        query = ComplaintQuery(
            status=tuple(s.value for s in status or ()),
            category=categories,
            channel=tuple(c.value for c in channel or ()),
            district=districts,
            organisation=organisations,
            clock=tuple(clock or ()),
            running=running,
            received_from=day_start(received_from, "received_from"),
            received_before=day_start(received_to, "received_to", next_day=True),
            text=_typed("q", q)[0] if q else None,
            sort=sort.sort(),
            limit=limit,
            after=decode_cursor(cursor, sort) if cursor else None,
        )
        fresh = await sync_to_thread(read_models.complaints, query)
        page = fresh.value
        return with_view_lag(
            fresh,
            ComplaintListPage(
                items=[msgspec.convert(item, ComplaintListItem, from_attributes=True) for item in page.items],
                next_cursor=encode_cursor(sort, page.next_after) if page.next_after else None,
            ),
        )

    @get(
        "/{complaint_id:uuid}",
        operation_id="getComplaint",
        sync_to_thread=True,
        summary="The complaint's state and reaction clock, now or as it stood at a moment or version",
    )
    def read(
        self,
        complaint_id: FromPath[UUID],
        complaints: NamedDependency[ComplaintService],
        history: NamedDependency[ComplaintHistory],
        personal_data: NamedDependency[PersonalDataAccess],
        request: Request[Principal, None, None],
        as_of: AsOf = None,
        version: AtVersion = None,
    ) -> Response[Complaint]:
        if as_of is not None and version is not None:
            raise ClientException("give as_of or version, not both")
        if version is not None:
            return _state(visible(history.at_version(complaint_id, version), request.user))
        if as_of is not None:
            return _state(visible(history.as_of(complaint_id, _moment(as_of)), request.user))
        view = visible(complaints.get(complaint_id), request.user)
        if request.user.role not in PERSONAL_DATA_ROLES:
            return _state(view)
        author = personal_data.reveal(complaint_id, reader=request.user.actor)
        return _state(
            view,
            author=None
            if author is None
            else AuthorDTO(ref=author.ref, name=author.name, phone=author.phone, email=author.email),
            forgotten=author is None,
        )

    @get(
        "/{complaint_id:uuid}/personal-data-reads",
        operation_id="getPersonalDataReads",
        sync_to_thread=True,
        summary="Who read the author's personal data of this complaint, and when",
    )
    def personal_data_reads(
        self, complaint_id: FromPath[UUID], personal_data: NamedDependency[PersonalDataAccess]
    ) -> list[PersonalDataRead]:
        return [PersonalDataRead(reader=r.reader, at=r.at) for r in personal_data.reads(complaint_id)]

    @get(
        "/{complaint_id:uuid}/history",
        operation_id="getComplaintHistory",
        sync_to_thread=True,
        summary="Every event in order: actor, time, global position, seal and the fields it changed",
    )
    def history(
        self,
        complaint_id: FromPath[UUID],
        history: NamedDependency[ComplaintHistory],
        complaints: NamedDependency[ComplaintService],
        request: Request[Principal, None, None],
    ) -> list[HistoryEvent]:
        if not request.user.sees_every_complaint:
            visible(complaints.get(complaint_id), request.user)
        return [HistoryEvent.of(entry) for entry in history.entries(complaint_id)]


@dataclass(frozen=True, slots=True)
class CommandRoute:
    """A command's sub-resource: POST /complaints/{id}/<segment> with a body, answering the new state.
    The body's fields are named as the command's, which adds the complaint, actor and version."""

    segment: str
    operation_id: str
    summary: str
    body: type[Struct]
    command: type[ComplaintCommand]


COMMAND_ROUTES = (
    CommandRoute(
        "assignment",
        "assignComplaint",
        "Assign to the organisation that must act (again: reassign)",
        Assignment,
        Assign,
    ),
    CommandRoute(
        "response",
        "respondToComplaint",
        "Publish a response to the citizen (stops the reaction clock)",
        PublishedText,
        Respond,
    ),
    CommandRoute(
        "resolution",
        "resolveComplaint",
        "Resolve, telling the citizen how",
        PublishedText,
        Resolve,
    ),
    CommandRoute(
        "clarification-request",
        "requestClarification",
        "Ask the author for the address or details",
        ClarificationRequest,
        RequestClarification,
    ),
    CommandRoute(
        "clarification",
        "clarifyComplaint",
        "Record the author's clarification",
        Clarification,
        Clarify,
    ),
    CommandRoute(
        "rejection",
        "rejectComplaint",
        "Reject, with the reason told to the citizen",
        Reason,
        Reject,
    ),
    CommandRoute(
        "reopening",
        "reopenComplaint",
        "Reopen a resolved complaint (back to assigned)",
        Reason,
        Reopen,
    ),
    CommandRoute(
        "duplicate",
        "markDuplicate",
        "Close as a duplicate of another complaint",
        Duplicate,
        MarkDuplicate,
    ),
)


def _command_handler(route: CommandRoute) -> HTTPRouteHandler:
    @post(
        f"/api/v1/complaints/{{complaint_id:uuid}}/{route.segment}",
        operation_id=route.operation_id,
        summary=route.summary,
        tags=["complaints"],
        **_COMMAND,
    )
    def handler(
        complaint_id: FromPath[UUID],
        data: JSONBody[route.body],  # type: ignore[name-defined]
        complaints: NamedDependency[ComplaintService],
        request: Request[Principal, None, None],
        if_match: IfMatch,
    ) -> Response[Complaint]:
        if not request.user.sees_every_complaint:
            visible(complaints.get(complaint_id), request.user)
        command = route.command(
            complaint_id,
            actor=request.user.actor,
            expected_version=_expected_version(if_match),
            **msgspec.structs.asdict(data),
        )
        return _state(complaints.handle(command))

    return handler


COMMAND_HANDLERS = [_command_handler(route) for route in COMMAND_ROUTES]
