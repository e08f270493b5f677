"""Every error leaves as application/problem+json (RFC 9457), mapped here in one place."""

import logging
import traceback
from typing import Any
from uuid import uuid4

from eventsourcing.persistence import InterfaceError, OperationalError
from litestar import Request, Response
from litestar.exceptions import (
    HTTPException,
    SerializationException,
    ValidationException,
)
from litestar.openapi.datastructures import ResponseSpec
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from application.audit.history import NoSuchVersion, NotYetRegistered
from application.city import UnknownTerm
from application.errors import Busy, ComplaintNotFound, StaleVersion
from domain.errors import DomainError, InvalidComplaint, MoveRefused, SourceTaken
from interfaces.http.dto import ISO_WITH_OFFSET, SINGLE_LINE, Problem

PROBLEM_JSON = "application/problem+json"
log = logging.getLogger("mcu.http")

_TITLES = {
    400: "Bad request",
    401: "Authentication required",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict with the complaint's state",
    412: "Stale version",
    413: "Request body too large",
    415: "Unsupported media type",
    422: "Unprocessable complaint",
    428: "Precondition required",
    429: "Too many requests",
    503: "Service unavailable",
}


def problem_responses(*statuses: int) -> dict[int, ResponseSpec]:
    """OpenAPI entries for the problems an operation may answer with."""
    return {
        status: ResponseSpec(Problem, description=_TITLES[status], media_type=PROBLEM_JSON, generate_examples=False)
        for status in statuses
    }


# Whatever made the service unavailable (the store, writers contending, a view stopped) is
# looked at again within a second: a client may repeat after that.
_RETRY_UNAVAILABLE = {"Retry-After": "1"}


def problem(status: int, detail: str, **extra: Any) -> Response[dict[str, Any]]:
    body = {"type": "about:blank", "title": _TITLES.get(status, "Error"), "status": status, "detail": detail, **extra}
    headers = _RETRY_UNAVAILABLE if status == 503 else None
    return Response(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _readable(error: dict[str, Any]) -> dict[str, Any]:
    message = str(error.get("message", ""))
    if "matching regex" in message:
        if repr(SINGLE_LINE) in message:
            message = "must be a single line without control characters"
        elif repr(ISO_WITH_OFFSET) in message:
            message = "must be ISO 8601 with its offset, such as 2026-11-28T09:00:00+03:00"
        else:
            message = "must not contain control characters" if "x00" in message else "has the wrong format"
    return {**error, "message": message}


def _validation(_: Request, exc: ValidationException) -> Response[dict[str, Any]]:
    # msgspec's messages name the field and the rule but never echo the submitted value.
    errors = [_readable(e) for e in exc.extra if isinstance(e, dict)] if isinstance(exc.extra, list) else []
    detail = "; ".join(f"{e['key']}: {e['message']}" if e.get("key") else e["message"] for e in errors)
    return problem(400, detail or exc.detail or "the request is not valid", errors=errors)


def _http(_: Request, exc: HTTPException) -> Response[dict[str, Any]]:
    detail = exc.detail or _TITLES.get(exc.status_code, "Error")
    if isinstance(exc.__cause__, SerializationException):
        detail = f"the body is not valid JSON: {detail}"
    response = problem(exc.status_code, detail)
    if exc.headers:
        response.headers.update(exc.headers)
    return response


def _not_found(_: Request, exc: ComplaintNotFound) -> Response[dict[str, Any]]:
    return problem(404, str(exc))


def _not_then(_: Request, exc: NotYetRegistered | NoSuchVersion) -> Response[dict[str, Any]]:
    return problem(404, str(exc))


def _stale(_: Request, exc: StaleVersion) -> Response[dict[str, Any]]:
    return problem(412, str(exc), current_version=exc.actual)


def _refused(_: Request, exc: MoveRefused) -> Response[dict[str, Any]]:
    return problem(409, str(exc), status_now=exc.status, move=exc.move.name.lower())


def _taken(_: Request, exc: SourceTaken) -> Response[dict[str, Any]]:
    return problem(409, str(exc), complaint_id=str(exc.complaint_id))


def _unknown_term(_: Request, exc: UnknownTerm) -> Response[dict[str, Any]]:
    return problem(422, str(exc), errors=[{"key": exc.term.value, "message": str(exc), "allowed": list(exc.allowed)}])


def _invalid(_: Request, exc: DomainError) -> Response[dict[str, Any]]:
    return problem(422, str(exc))


def _busy(_: Request, exc: Busy) -> Response[dict[str, Any]]:
    return problem(503, str(exc))


def _store_unavailable(request: Request, exc: OperationalError | InterfaceError) -> Response[dict[str, Any]]:
    log.warning("store unavailable (%s) on %s %s", type(exc).__name__, request.method, request.url.path)
    return problem(
        503,
        "the event store is unavailable; repeat the request shortly "
        "(registration is idempotent, and a stale version is refused, so repeating is safe)",
    )


def logged_unexpected(request: Request, exc: Exception, logger: logging.Logger) -> str:
    """Logs an error nobody mapped once, under a fresh id it returns for the answer. The message
    may quote stored data (a citizen's text, contacts): the answer carries only the id, and the
    log the id with the stack of each exception in the chain, without messages."""
    error_id = uuid4().hex
    logger.error(
        "unexpected %s on %s %s, error %s\n%s",
        type(exc).__name__,
        request.method,
        request.url.path,
        error_id,
        stack_without_messages(exc),
        extra={"error_id": error_id},
    )
    return error_id


def _unexpected(request: Request, exc: Exception) -> Response[dict[str, Any]]:
    error_id = logged_unexpected(request, exc, log)
    return problem(
        HTTP_500_INTERNAL_SERVER_ERROR,
        f"internal error {error_id}; the service's operators find what happened under this id",
        error_id=error_id,
    )


def stack_without_messages(exc: BaseException) -> str:
    """Each exception of the chain, the cause first: its type and where it was raised (the
    logs write every stack so, interfaces/logs.py)."""
    chain: list[BaseException] = []
    link: BaseException | None = exc
    while link is not None and link not in chain:
        chain.append(link)
        link = link.__cause__ if link.__cause__ is not None or link.__suppress_context__ else link.__context__
    return "".join(
        f"{type(link).__name__}, raised at:\n{''.join(traceback.format_tb(link.__traceback__))}"
        for link in reversed(chain)
    )


exception_handlers = {
    ValidationException: _validation,
    HTTPException: _http,
    ComplaintNotFound: _not_found,
    NotYetRegistered: _not_then,
    NoSuchVersion: _not_then,
    StaleVersion: _stale,
    MoveRefused: _refused,
    SourceTaken: _taken,
    UnknownTerm: _unknown_term,
    InvalidComplaint: _invalid,
    DomainError: _invalid,
    Busy: _busy,
    # The library's, raised for either store in place of its driver's errors; its other errors
    # (IntegrityError, DataError, ProgrammingError, ...) are a fault of ours, so unexpected.
    OperationalError: _store_unavailable,
    InterfaceError: _store_unavailable,
    Exception: _unexpected,
}
