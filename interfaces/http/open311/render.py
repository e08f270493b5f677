"""Open311 documents in both formats the specification defines, built from one structure.

A JSON list is a bare array; XML wraps it in the document's root element with one child per
item, and every nested list likewise (``<attributes><attribute>…``). ElementTree builds and
escapes the XML: we only ever write XML, so no parser (and none of its attack surface) is
involved, and a third-party library would add a dependency to save a dozen lines.
"""

import dataclasses
import re
from datetime import datetime
from enum import StrEnum
from typing import Any
from xml.etree.ElementTree import Element, tostring

import msgspec
from litestar import Request, Response

from application.moments import written
from application.open311.errors import NotFound

# The element of each list's items, by the list's element name.
ITEMS = {
    "services": "service",
    "service_requests": "request",
    "service_request_updates": "request_update",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}
# Characters XML 1.0 cannot carry even escaped; a citizen's text from a network may hold them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class Format(StrEnum):
    JSON = "json"
    XML = "xml"

    @property
    def mime(self) -> str:
        return "application/json" if self is Format.JSON else "text/xml"


def format_of(request: Request[Any, Any, Any]) -> Format:
    """The format the path asks for (``….xml``); JSON for anything else, errors included."""
    return Format.XML if request.url.path.endswith(".xml") else Format.JSON


def split_name(name: str) -> str:
    """``roads.json`` → ``roads``: a path segment that names a resource and its format."""
    stem, dot, suffix = name.rpartition(".")
    if not dot or not stem or suffix not in tuple(Format):
        raise NotFound(f"{name} was not found: add .json or .xml")
    return stem


def render(fmt: Format, root: str, content: Any, *, status: int = 200) -> Response[bytes]:
    plain = _plain(content)
    body = (
        msgspec.json.encode(plain)
        if fmt is Format.JSON
        else tostring(_element(root, plain), encoding="utf-8", xml_declaration=True)
    )
    return Response(content=body, status_code=status, media_type=fmt.mime)


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, datetime):
        return written(value)
    return value


def _element(name: str, value: Any) -> Element:
    element = Element(name)
    if isinstance(value, dict):
        element.extend(_element(key, item) for key, item in value.items())
    elif isinstance(value, list):
        element.extend(_element(ITEMS[name], item) for item in value)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = _NOT_XML.sub("\ufffd", str(value))
    return element
