"""The complaint resource: registration, reading, and each command as a sub-resource."""

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.concurrency import sync_to_thread
from litestar.di import NamedDependency
from litestar.exceptions import ClientException, PermissionDeniedException
from litestar.handlers import HTTPRouteHandler
from litestar.params import FromPath, HeaderParameter, JSONBody, QueryParameter
from msgspec import Struct

from application.access import Principal
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
from application.views import ComplaintView
from interfaces.bootstrap import Services
from interfaces.http.auth import PERSONAL_DATA_ROLES
from interfaces.http.dto import (
    Assignment,
    Clarification,
    ClarificationRequest,
    Complaint,
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

_IF_MATCH = re.compile(r'^\s*(?:W/)?"?(\d{1,18})"?\s*$')

AsOf = Annotated[
    str | None,
    QueryParameter(required=False, description="ISO 8601 moment with offset, e.g. 2026-11-28T12:00:00+03:00"),
]
AtVersion = Annotated[int | None, QueryParameter(required=False, ge=1, description="a version of the complaint")]

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


def _visible(view: ComplaintView, principal: Principal) -> ComplaintView:
    """A machine reads only its own channels' complaints. Another channel's complaint answers
    404, as if absent, so a token cannot probe for ids."""
    if not principal.may_read(view.channel):
        raise ComplaintNotFound(view.id)
    return view


_READ = problem_responses(401, 403, 404)
_COMMAND = {
    "sync_to_thread": True,
    "status_code": 200,
    "responses": problem_responses(400, 401, 403, 404, 409, 412, 413, 422),
}


class ComplaintController(Controller):
    path = "/api/v1/complaints"
    tags = ["complaints"]

    @post(
        "/",
        operation_id="registerComplaint",
        status_code=201,
        responses=problem_responses(400, 401, 403, 413, 422),
        summary="Register a complaint (idempotent per channel and source_ref)",
        description="201 with Location for a new complaint; 200 with the same complaint for a repeat.",
    )
    async def register(
        self, data: JSONBody[RegisterComplaint], request: Request[Principal, None, None]
    ) -> Response[Complaint]:
        # Services from the app's state rather than a dependency: resolving it per request
        # was a twentieth of the worker's time on the busiest route.
        services: Services = request.app.state.services
        if not request.user.may_register(data.channel):
            raise PermissionDeniedException(
                f"this token may not register posts of the channel {data.channel}: a network's posts "
                "come through its adapter or an intake token issued for that channel"
            )
        # Awaited, not run in a worker thread: the group commit's writer does the store work.
        registration = await services.registrations.register_async(data.command(actor=request.user.actor))
        view = registration.view or await sync_to_thread(services.complaints.get, registration.complaint_id)
        return _state(view, 201 if registration.created else 200, location=registration.created)

    @get(
        "/{complaint_id:uuid}",
        operation_id="getComplaint",
        sync_to_thread=True,
        responses=problem_responses(400, 401, 403, 404),
        summary="The complaint's state and reaction clock, now or as it stood at a moment or version",
    )
    def read(
        self,
        complaint_id: FromPath[UUID],
        services: NamedDependency[Services],
        request: Request[Principal, None, None],
        as_of: AsOf = None,
        version: AtVersion = None,
    ) -> Response[Complaint]:
        if as_of is not None and version is not None:
            raise ClientException("give as_of or version, not both")
        if version is not None:
            return _state(_visible(services.history.at_version(complaint_id, version), request.user))
        if as_of is not None:
            return _state(_visible(services.history.as_of(complaint_id, _moment(as_of)), request.user))
        view = _visible(services.complaints.get(complaint_id), request.user)
        if request.user.role not in PERSONAL_DATA_ROLES:
            return _state(view)
        author = services.personal_data.reveal(complaint_id, reader=request.user.actor)
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
        responses=_READ,
        summary="Who read the author's personal data of this complaint, and when",
    )
    def personal_data_reads(
        self, complaint_id: FromPath[UUID], services: NamedDependency[Services]
    ) -> list[PersonalDataRead]:
        return [PersonalDataRead(reader=r.reader, at=r.at) for r in services.personal_data.reads(complaint_id)]

    @get(
        "/{complaint_id:uuid}/history",
        operation_id="getComplaintHistory",
        sync_to_thread=True,
        responses=_READ,
        summary="Every event in order: actor, time, global position, seal and the fields it changed",
    )
    def history(self, complaint_id: FromPath[UUID], services: NamedDependency[Services]) -> list[HistoryEvent]:
        return [HistoryEvent.of(entry) for entry in services.history.entries(complaint_id)]


@dataclass(frozen=True, slots=True)
class _CommandRoute:
    """A command's sub-resource: POST /complaints/{id}/<segment> with a body, answering the new state.
    The body's fields are named as the command's, which adds the complaint, actor and version."""

    segment: str
    operation_id: str
    summary: str
    body: type[Struct]
    command: type[ComplaintCommand]


_COMMAND_ROUTES = (
    _CommandRoute(
        "assignment",
        "assignComplaint",
        "Assign to the organisation that must act (again: reassign)",
        Assignment,
        Assign,
    ),
    _CommandRoute(
        "response",
        "respondToComplaint",
        "Publish a response to the citizen (stops the reaction clock)",
        PublishedText,
        Respond,
    ),
    _CommandRoute(
        "resolution",
        "resolveComplaint",
        "Resolve, telling the citizen how",
        PublishedText,
        Resolve,
    ),
    _CommandRoute(
        "clarification-request",
        "requestClarification",
        "Ask the author for the address or details",
        ClarificationRequest,
        RequestClarification,
    ),
    _CommandRoute(
        "clarification",
        "clarifyComplaint",
        "Record the author's clarification",
        Clarification,
        Clarify,
    ),
    _CommandRoute(
        "rejection",
        "rejectComplaint",
        "Reject, with the reason told to the citizen",
        Reason,
        Reject,
    ),
    _CommandRoute(
        "reopening",
        "reopenComplaint",
        "Reopen a resolved complaint (back to assigned)",
        Reason,
        Reopen,
    ),
    _CommandRoute(
        "duplicate",
        "markDuplicate",
        "Close as a duplicate of another complaint",
        Duplicate,
        MarkDuplicate,
    ),
)


def _command_handler(route: _CommandRoute) -> HTTPRouteHandler:
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
        if not request.user.reads_every_channel:
            _visible(complaints.get(complaint_id), request.user)
        command = route.command(
            complaint_id,
            actor=request.user.actor,
            expected_version=_expected_version(if_match),
            **msgspec.structs.asdict(data),
        )
        return _state(complaints.handle(command))

    return handler


COMMAND_HANDLERS = [_command_handler(route) for route in _COMMAND_ROUTES]
