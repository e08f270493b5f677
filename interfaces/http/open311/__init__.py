"""Open311 GeoReport v2 under /open311/v2, with its own error format and its own key.

Left out of the OpenAPI document: Open311 clients are written against the specification and
find the endpoints through ``discovery``; the document describes the centre's own API.
"""

from interfaces.http.open311.controllers import Open311Controller

__all__ = ["Open311Controller"]
