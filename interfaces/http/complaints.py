"""The complaint resource: registration, reading, and each command as a sub-resource."""

import re
from typing import Annotated
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.exceptions import ClientException
from litestar.di import NamedDependency
from litestar.params import FromPath, HeaderParameter, JSONBody

from application.access import Principal
from application.complaints import ComplaintService
from application.views import ComplaintView
from interfaces.http.auth import role_guard
from interfaces.http.problems import problem_responses
from interfaces.http.dto import (
    Assignment,
    Clarification,
    ClarificationRequest,
    Complaint,
    Duplicate,
    HistoryEvent,
    PublishedText,
    Reason,
    RegisterComplaint,
)

_IF_MATCH = re.compile(r'^\s*(?:W/)?"?(\d{1,18})"?\s*$')

IfMatch = Annotated[
    str | None,
    HeaderParameter(name="If-Match", required=False,
              description='the version the caller last saw, as its ETag ("3"); stale → 412'),
]


def _expected_version(if_match: str | None) -> int | None:
    if if_match is None or if_match.strip() == "*":
        return None
    match = _IF_MATCH.match(if_match)
    if match is None:
        raise ClientException(f'If-Match must be an ETag such as "3", not {if_match[:40]!r}')
    return int(match.group(1))


def _state(view: ComplaintView, status_code: int = 200, location: bool = False) -> Response[Complaint]:
    headers = {"ETag": f'"{view.version}"'}
    if location:
        headers["Location"] = f"/api/v1/complaints/{view.id}"
    return Response(Complaint.of(view), status_code=status_code, headers=headers)


_READ = problem_responses(401, 403, 404)
_COMMAND = {"guards": [role_guard], "sync_to_thread": True, "status_code": 200,
            "responses": problem_responses(400, 401, 403, 404, 409, 412, 413, 422)}


class ComplaintController(Controller):
    path = "/api/v1/complaints"
    tags = ["complaints"]

    @post("/", operation_id="registerComplaint", guards=[role_guard], sync_to_thread=True,
          status_code=201, responses=problem_responses(400, 401, 403, 413, 422), summary="Register a complaint (idempotent per channel and source_ref)",
          description="201 with Location for a new complaint; 200 with the same complaint for a repeat.")
    def register(self, data: JSONBody[RegisterComplaint], complaints: NamedDependency[ComplaintService],
                 request: Request[Principal, None, None]) -> Response[Complaint]:
        registration = complaints.register(
            channel=data.channel.value,
            source_ref=data.source_ref,
            author_ref=data.author_ref,
            text=data.text,
            received_at=data.received_at,
            actor=request.user.actor,
            address=data.address,
            category=data.category,
            district=data.district,
        )
        view = complaints.get(registration.complaint_id)
        return _state(view, 201 if registration.created else 200, location=registration.created)

    @get("/{complaint_id:uuid}", operation_id="getComplaint", guards=[role_guard],
         sync_to_thread=True, responses=_READ, summary="The complaint's current state and reaction clock")
    def read(self, complaint_id: FromPath[UUID], complaints: NamedDependency[ComplaintService]) -> Response[Complaint]:
        return _state(complaints.get(complaint_id))

    @get("/{complaint_id:uuid}/history", operation_id="getComplaintHistory", guards=[role_guard],
         sync_to_thread=True, responses=_READ, summary="Every recorded event of the complaint, in order")
    def history(self, complaint_id: FromPath[UUID], complaints: NamedDependency[ComplaintService]) -> list[HistoryEvent]:
        return [HistoryEvent.of(entry) for entry in complaints.history(complaint_id)]

    @post("/{complaint_id:uuid}/assignment", operation_id="assignComplaint", **_COMMAND,
          summary="Assign to the organisation that must act (a second assignment reassigns)")
    def assign(self, complaint_id: FromPath[UUID], data: JSONBody[Assignment], complaints: NamedDependency[ComplaintService],
               request: Request[Principal, None, None], if_match: IfMatch) -> Response[Complaint]:
        return _state(complaints.assign(
            complaint_id, organisation=data.organisation, executor=data.executor,
            actor=request.user.actor, expected_version=_expected_version(if_match)))

    @post("/{complaint_id:uuid}/response", operation_id="respondToComplaint", **_COMMAND,
          summary="Publish a response to the citizen (stops the reaction clock)")
    def respond(self, complaint_id: FromPath[UUID], data: JSONBody[PublishedText], complaints: NamedDependency[ComplaintService],
                request: Request[Principal, None, None], if_match: IfMatch) -> Response[Complaint]:
        return _state(complaints.respond(
            complaint_id, text=data.text, actor=request.user.actor,
            expected_version=_expected_version(if_match)))

    @post("/{complaint_id:uuid}/resolution", operation_id="resolveComplaint", **_COMMAND,
          summary="Resolve, telling the citizen how")
    def resolve(self, complaint_id: FromPath[UUID], data: JSONBody[PublishedText], complaints: NamedDependency[ComplaintService],
                request: Request[Principal, None, None], if_match: IfMatch) -> Response[Complaint]:
        return _state(complaints.resolve(
            complaint_id, text=data.text, actor=request.user.actor,
            expected_version=_expected_version(if_match)))

    @post("/{complaint_id:uuid}/clarification-request", operation_id="requestClarification",
          **_COMMAND, summary="Ask the author for the address or details")
    def request_clarification(self, complaint_id: FromPath[UUID], data: JSONBody[ClarificationRequest],
                              complaints: NamedDependency[ComplaintService], request: Request[Principal, None, None],
                              if_match: IfMatch) -> Response[Complaint]:
        return _state(complaints.request_clarification(
            complaint_id, question=data.question, actor=request.user.actor,
            expected_version=_expected_version(if_match)))

    @post("/{complaint_id:uuid}/clarification", operation_id="clarifyComplaint", **_COMMAND,
          summary="Record the author's clarification")
    def clarify(self, complaint_id: FromPath[UUID], data: JSONBody[Clarification], complaints: NamedDependency[ComplaintService],
                request: Request[Principal, None, None], if_match: IfMatch) -> Response[Complaint]:
        return _state(complaints.clarify(
            complaint_id, text=data.text, address=data.address, actor=request.user.actor,
            expected_version=_expected_version(if_match)))

    @post("/{complaint_id:uuid}/rejection", operation_id="rejectComplaint", **_COMMAND,
          summary="Reject, with the reason told to the citizen")
    def reject(self, complaint_id: FromPath[UUID], data: JSONBody[Reason], complaints: NamedDependency[ComplaintService],
               request: Request[Principal, None, None], if_match: IfMatch) -> Response[Complaint]:
        return _state(complaints.reject(
            complaint_id, reason=data.reason, actor=request.user.actor,
            expected_version=_expected_version(if_match)))

    @post("/{complaint_id:uuid}/reopening", operation_id="reopenComplaint", **_COMMAND,
          summary="Reopen a resolved complaint (back to assigned)")
    def reopen(self, complaint_id: FromPath[UUID], data: JSONBody[Reason], complaints: NamedDependency[ComplaintService],
               request: Request[Principal, None, None], if_match: IfMatch) -> Response[Complaint]:
        return _state(complaints.reopen(
            complaint_id, reason=data.reason, actor=request.user.actor,
            expected_version=_expected_version(if_match)))

    @post("/{complaint_id:uuid}/duplicate", operation_id="markDuplicate", **_COMMAND,
          summary="Close as a duplicate of another complaint")
    def mark_duplicate(self, complaint_id: FromPath[UUID], data: JSONBody[Duplicate], complaints: NamedDependency[ComplaintService],
                       request: Request[Principal, None, None], if_match: IfMatch) -> Response[Complaint]:
        return _state(complaints.mark_duplicate(
            complaint_id, original_id=data.original_id, actor=request.user.actor,
            expected_version=_expected_version(if_match)))
