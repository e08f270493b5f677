"""Refuses JSON nested deeper than any real payload, before anything parses it.

msgspec (and every recursive parser) descends once per level: a few kilobytes of ``[[[[…``
exhausted Python's recursion limit and answered 500, on the unauthenticated webhooks too.
The deepest payloads we take (VK callbacks with attachments, Telegram updates with a quoted
reply, our own API) stay under ten levels; 32 leaves room for what the networks may add.

The guard sits on the ASGI ``receive`` of every route, so no endpoint can be added without
it. Its common path is two ``bytes.count`` calls: a body with no more opening brackets than
the limit cannot be nested deeper than it. Only beyond that are strings cut out and the
depth measured, at C speed (a regular expression, bytes.translate and bytes.replace), never
by a Python loop over the bytes.
"""

import re
from typing import Any

from litestar.exceptions import ClientException
from litestar.types import ASGIApp, Message, Receive, Scope, Send

MAX_JSON_DEPTH = 32

# A JSON string (escapes included); possessive, so a hostile body cannot make it backtrack.
_STRING = re.compile(rb'"(?:[^"\\]++|\\.)*+"', re.DOTALL)
_NOT_BRACKETS = bytes(sorted(set(range(256)) - set(b"[]{}")))
# For depth an object is an array: mixed kinds that do not match are the parser's to refuse.
_ONE_KIND = bytes.maketrans(b"{}", b"[]")
# Bodies that are not JSON: a form's brackets (attribute[code]) are field names, not nesting.
_NOT_JSON = (b"application/x-www-form-urlencoded", b"multipart/form-data")
# No handler of ours reads a body on these.
_NO_BODY = frozenset({"GET", "HEAD", "OPTIONS"})


def nested_deeper_than(body: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether the JSON in ``body`` nests arrays and objects more than ``limit`` levels deep.

    Exact for valid JSON. For malformed JSON it may refuse what the parser would refuse
    anyway, never pass what would take the parser deeper than ``limit``."""
    if body.count(b"[") + body.count(b"{") <= limit:
        return False
    brackets = _STRING.sub(b"", body).translate(_ONE_KIND, _NOT_BRACKETS)
    if b"[" * (limit + 1) in brackets:  # the usual attack, found without peeling
        return True
    # Each pass removes the innermost pairs ("[]" in the text as it stood): one level of nesting.
    levels = 0
    while len(shallower := brackets.replace(b"[]", b"")) < len(brackets):
        brackets, levels = shallower, levels + 1
        if levels > limit:
            return True
    # Openers never closed: a parser descends through them before it finds the end missing.
    return levels + brackets.count(b"[") > limit


def _is_form(scope: Scope) -> bool:
    for name, value in scope["headers"]:
        if name == b"content-type":
            return value.lower().startswith(_NOT_JSON)
    return False


class JsonDepthGuard:
    """Passes each chunk of the body on as it comes and judges the whole at its last chunk,
    so nothing is buffered that the app would not hold anyway (the body size limit is the
    app's: it stops reading at MCU_MAX_BODY_BYTES)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in _NO_BODY or _is_form(scope):
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []

        async def guarded() -> Message:
            message: Any = await receive()
            if message["type"] == "http.request":
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    body = chunks[0] if len(chunks) == 1 else b"".join(chunks)
                    if nested_deeper_than(body):
                        raise ClientException(f"the JSON is nested deeper than {MAX_JSON_DEPTH} levels")
            return message  # type: ignore[no-any-return]

        await self.app(scope, guarded, send)
