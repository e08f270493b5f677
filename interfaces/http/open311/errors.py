"""Open311 errors as the specification writes them: a list of {code, description}, in the
format of the call (``<errors><error><code/><description/></error></errors>`` for XML).

These handlers serve the Open311 router only; the rest of the API keeps problem+json.
"""

import logging
from typing import Any

from litestar import Request, Response
from litestar.exceptions import HTTPException, PermissionDeniedException
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from application.errors import Busy
from application.open311.errors import InvalidRequest, NotFound
from domain.errors import DomainError
from interfaces.http.open311.render import format_of, render
from interfaces.http.problems import logged_unexpected

log = logging.getLogger("mcu.open311")


def errors(request: Request[Any, Any, Any], status: int, *descriptions: str) -> Response[bytes]:
    return render(
        format_of(request),
        "errors",
        [{"code": status, "description": description} for description in descriptions],
        status=status,
    )


def _invalid(request: Request[Any, Any, Any], exc: InvalidRequest) -> Response[bytes]:
    return errors(request, 400, *exc.problems)


def _not_found(request: Request[Any, Any, Any], exc: NotFound) -> Response[bytes]:
    return errors(request, 404, str(exc))


def _refused(request: Request[Any, Any, Any], exc: DomainError) -> Response[bytes]:
    return errors(request, 400, str(exc))


def _busy(request: Request[Any, Any, Any], exc: Busy) -> Response[bytes]:
    return errors(request, 503, str(exc))


def _http(request: Request[Any, Any, Any], exc: HTTPException) -> Response[bytes]:
    response = errors(request, exc.status_code, exc.detail)
    if exc.headers:
        response.headers.update(exc.headers)
    return response


def _unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[bytes]:
    error_id = logged_unexpected(request, exc, log)
    return errors(
        request,
        HTTP_500_INTERNAL_SERVER_ERROR,
        f"internal error {error_id}; the service's operators find what happened under this id",
    )


exception_handlers = {
    InvalidRequest: _invalid,
    NotFound: _not_found,
    DomainError: _refused,
    Busy: _busy,
    HTTPException: _http,
    # Named apart from HTTPException: the app's own handler of it (the console's refusal page)
    # is more specific than this map's HTTPException, and would answer Open311 clients otherwise.
    PermissionDeniedException: _http,
    Exception: _unexpected,
}
