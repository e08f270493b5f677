"""Every status an operation can answer, in its OpenAPI document, decided in one place.

The refusals every operation shares follow from what it is, not from a list kept beside each
handler: a caller with a bearer token can be refused (401, 403), a caller without one is rate
limited (429), input can be invalid (400) and a body too large (413), an id in the path can be
missing (404), and the store behind any of them can be down (503 with ``Retry-After``). A
handler declares only the answers that are its own (409, 412, 422, another 200, a webhook's
plain-text refusals); what it declares wins over what is derived here.
"""

from dataclasses import dataclass

from litestar.handlers import HTTPRouteHandler
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import OpenAPIHeader, OpenAPIResponse, Operation, Schema
from litestar.openapi.spec.enums import OpenAPIType
from litestar.plugins import ReceiveRoutePlugin
from litestar.routes import BaseRoute, HTTPRoute

from interfaces.http.problems import problem_responses
from interfaces.http.rate_limit import NOT_LIMITED, without_token

# The answers that say when to come back.
_COME_BACK = ("429", "503")
_RETRY_AFTER = OpenAPIHeader(
    schema=Schema(type=OpenAPIType.INTEGER, minimum=1),
    description="seconds to wait before repeating the request",
)


@dataclass
class RefusalsOperation(Operation):
    """An operation whose 429 and 503 answers document their ``Retry-After``."""

    def __post_init__(self) -> None:
        for status, response in (self.responses or {}).items():
            if status in _COME_BACK and isinstance(response, OpenAPIResponse):
                response.headers = {**(response.headers or {}), "Retry-After": _RETRY_AFTER}


@dataclass
class PublicOperation(RefusalsOperation):
    """An operation called without a bearer token: says so, where Litestar would leave out an
    empty ``security`` and so inherit the document's bearer token."""

    def __post_init__(self) -> None:
        super().__post_init__()
        self.security = []


def derived_statuses(route: HTTPRoute, handler: HTTPRouteHandler) -> tuple[int, ...]:
    """The refusals the handler's kind of operation can answer (see the module's docstring)."""
    kwargs = handler.create_kwargs_model(path_parameters=route.path_parameters)
    body = bool(kwargs.expected_form_data or kwargs.expected_msgpack_data) or "data" in kwargs.expected_reserved_kwargs
    takes_input = body or bool(
        kwargs.expected_query_params or kwargs.expected_header_params or kwargs.expected_path_params
    )
    statuses = {503}
    if takes_input:
        statuses.add(400)
    if body:
        statuses.add(413)
    if route.path_parameters:
        statuses.add(404)
    if not without_token(route.path, handler.opt):
        statuses |= {401, 403}
    elif route.path != NOT_LIMITED:
        statuses.add(429)
    return tuple(sorted(statuses))


class DocumentedRefusals(ReceiveRoutePlugin):
    """Adds the derived problem+json answers to each API operation as its route is registered
    (before the OpenAPI document is first built from the routes)."""

    def receive_route(self, route: BaseRoute) -> None:
        if not isinstance(route, HTTPRoute):
            return
        for handler in route.route_handlers:
            if not handler.resolve_include_in_schema():
                continue
            own: dict[int, ResponseSpec] = dict(handler.responses or {})
            handler.responses = {**problem_responses(*derived_statuses(route, handler)), **own}
            handler.operation_class = PublicOperation if without_token(route.path, handler.opt) else RefusalsOperation
