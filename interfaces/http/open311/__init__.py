"""Open311 GeoReport v2 under /open311/v2, with its own error format and its own key.

Left out of the OpenAPI document: Open311 clients are written against the specification and
find the endpoints through ``discovery``; the document describes the centre's own API.
"""

from litestar import Router

from interfaces.http.open311.controllers import ROOT, route_handlers
from interfaces.http.open311.errors import exception_handlers


def open311_router() -> Router:
    # Reading needs no key (the specification's GET calls take none); posting checks api_key.
    return Router(
        path=ROOT,
        route_handlers=route_handlers,
        exception_handlers=exception_handlers,
        include_in_schema=False,
        tags=["open311"],
        opt={"exclude_from_auth": True},
    )
