"""VK's own JSON Schema (API 5.199), read to check a Callback API event before it is trusted.

The part of VKCOM/vk-api-schema the callback events refer to is kept in ``api_schema/``
(refreshed by scripts/vendor_schemas.py). Every value an event carries is checked against the
type, the enumeration and the bounds the schema gives its place, however deep: a number where
VK documents a string, an unknown ``post_type``, an attachment of another shape. What the schema
calls required is not enforced here: VK's flags are not what VK sends (it marks ``inner_type``
required, which the Callback API never sends); shapes.py requires what intake cannot do without.
Fields the schema does not know are passed, as VK adds fields over time.
"""

import json
import posixpath
from functools import cache
from pathlib import Path
from typing import Any

from application.intake.source import MalformedPost

ROOT = Path(__file__).resolve().parent / "api_schema"
_CALLBACKS = "callback/objects.json"

# Events whose object the schema defines under another name than callback_<type>.
_OBJECT_DEFINITIONS = {
    "wall_reply_delete": "callback_wall_comment_delete",
    "photo_comment_new": "callback_photo_comment",
    "photo_comment_edit": "callback_photo_comment",
    "photo_comment_restore": "callback_photo_comment",
    "video_comment_new": "callback_video_comment",
    "video_comment_edit": "callback_video_comment",
    "video_comment_restore": "callback_video_comment",
    "market_comment_new": "callback_market_comment",
    "market_comment_edit": "callback_market_comment",
    "market_comment_restore": "callback_market_comment",
    "market_comment_delete": "callback_market_comment_delete",
}

_TYPES: dict[str, tuple[type, ...]] = {
    "integer": (int,),
    "number": (int, float),
    "string": (str,),
    "boolean": (bool,),
    "array": (list,),
    "object": (dict,),
}


class _Misfit(Exception):
    def __init__(self, path: tuple[str | int, ...], what: str) -> None:
        self.path, self.what = path, what


@cache
def _document(name: str) -> dict[str, Any]:
    return json.loads((ROOT / name).read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def check_event(event: dict[str, Any]) -> None:
    """Raises MalformedPost naming the first place where ``event`` is not what VK documents;
    the place and the expected type only, never the value (it may quote a resident)."""
    try:
        _check(event, _definition(_CALLBACKS, "callback_base"), _CALLBACKS, ())
        name = _OBJECT_DEFINITIONS.get(str(event.get("type")), f"callback_{event.get('type')}")
        definitions = _document(_CALLBACKS)["definitions"]
        if "object" in event and name in definitions:
            _check(event["object"], definitions[name], _CALLBACKS, ("object",))
    except _Misfit as misfit:
        place = ".".join(str(step) for step in misfit.path) or "the event"
        raise MalformedPost(f"VK {event.get('type')}: {place} is not {misfit.what}") from None


def _definition(name: str, definition: str) -> dict[str, Any]:
    return _document(name)["definitions"][definition]  # type: ignore[no-any-return]


def _resolve(current: str, ref: str) -> tuple[str, dict[str, Any]]:
    target, _, pointer = ref.partition("#")
    name = posixpath.normpath(posixpath.join(posixpath.dirname(current), target)) if target else current
    schema: Any = _document(name)
    for step in pointer.strip("/").split("/") if pointer.strip("/") else ():
        schema = schema[step]
    return name, schema


def _fits(value: Any, schema: dict[str, Any], name: str) -> bool:
    try:
        _check(value, schema, name, ())
    except _Misfit:
        return False
    return True


def _check(value: Any, schema: dict[str, Any], name: str, path: tuple[str | int, ...]) -> None:
    if "$ref" in schema:
        target_name, target = _resolve(name, schema["$ref"])
        _check(value, target, target_name, path)
    for part in schema.get("allOf", ()):
        _check(value, part, name, path)
    for key in ("oneOf", "anyOf"):
        if key in schema and not any(_fits(value, option, name) for option in schema[key]):
            raise _Misfit(path, f"any of the shapes VK documents there ({key})")
    kind = schema.get("type")
    if kind is not None:
        kinds = kind if isinstance(kind, list) else [kind]
        if not any(_is(value, k) for k in kinds):
            raise _Misfit(path, " or ".join(kinds))
    if "enum" in schema and not any(value == option and type(value) is type(option) for option in schema["enum"]):
        raise _Misfit(path, "one of the values VK documents there")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            raise _Misfit(path, f"at least {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            raise _Misfit(path, f"at most {schema['maximum']}")
    if isinstance(value, dict):
        for key, inner in schema.get("properties", {}).items():
            if key in value and isinstance(inner, dict):
                _check(value[key], inner, name, (*path, key))
    if isinstance(value, list) and isinstance(schema.get("items"), dict):
        for index, item in enumerate(value):
            _check(item, schema["items"], name, (*path, index))


def _is(value: Any, kind: str) -> bool:
    if kind == "null":
        return value is None
    if isinstance(value, bool):
        return kind == "boolean"
    return isinstance(value, _TYPES.get(kind, object))
