"""The Bot API's own description of its types (Bot API 10.1), read to check an Update.

``bot_api/api.json`` holds the types reachable from an Update, as PaulSonOfLars's
telegram-bot-api-spec scrapes them from the Bot API page (refreshed by
scripts/vendor_schemas.py): each field's name, its possible types, whether it is required.
Every field an update carries that the spec knows is checked, however deep: a ``String`` where
a number came, a required field missing, an entity of another shape. Fields the spec does not
know are passed, as Telegram adds fields with each Bot API version.
"""

import json
from functools import cache
from pathlib import Path
from typing import Any

from application.intake.source import MalformedPost

SPEC = Path(__file__).resolve().parent / "bot_api" / "api.json"

_PRIMITIVES: dict[str, tuple[type, ...]] = {
    "Integer": (int,),
    "Float": (int, float),
    "String": (str,),
    "Boolean": (bool,),
}
_ARRAY = "Array of "


class _Misfit(Exception):
    def __init__(self, path: tuple[str | int, ...], what: str) -> None:
        self.path, self.what = path, what


@cache
def _types() -> dict[str, Any]:
    return json.loads(SPEC.read_text(encoding="utf-8"))["types"]  # type: ignore[no-any-return]


def check_update(update: Any) -> None:
    """Raises MalformedPost naming the first place where ``update`` is not what the Bot API
    documents; the place and the expected type only, never the value."""
    try:
        _check(update, "Update", ())
    except _Misfit as misfit:
        place = ".".join(str(step) for step in misfit.path) or "the update"
        raise MalformedPost(f"Telegram Update: {place} is not {misfit.what}") from None


def _check(value: Any, kind: str, path: tuple[str | int, ...]) -> None:
    if kind.startswith(_ARRAY):
        if not isinstance(value, list):
            raise _Misfit(path, kind)
        for index, item in enumerate(value):
            _check(item, kind.removeprefix(_ARRAY), (*path, index))
        return
    if kind == "True":
        if value is not True:
            raise _Misfit(path, "true")
        return
    if kind in _PRIMITIVES:
        if isinstance(value, bool) != (kind == "Boolean") or not isinstance(value, _PRIMITIVES[kind]):
            raise _Misfit(path, kind)
        return
    spec = _types()[kind]
    if "fields" not in spec:  # a union: MessageOrigin, MaybeInaccessibleMessage, ChatMember...
        if not any(_fits(value, subtype) for subtype in spec.get("subtypes", ())):
            raise _Misfit(path, f"a {kind}")
        return
    if not isinstance(value, dict):
        raise _Misfit(path, f"a {kind}")
    for field in spec["fields"]:
        name = field["name"]
        if name not in value:
            if field["required"]:
                raise _Misfit((*path, name), f"missing: a {kind} requires it")
            continue
        options = field["types"]
        if len(options) == 1:
            _check(value[name], options[0], (*path, name))
        elif not any(_fits(value[name], option) for option in options):
            raise _Misfit((*path, name), " or ".join(options))


def _fits(value: Any, kind: str) -> bool:
    try:
        _check(value, kind, ())
    except _Misfit:
        return False
    return True
