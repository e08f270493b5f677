"""Rate limits on what anyone may call without a bearer token: Open311 (discovery, services,
requests), the networks' webhooks, the API's documentation, and any route added later with
``exclude_from_auth`` (a login, say). Calls with a bearer token are not limited here.

Each client address and each key (Open311's ``api_key``, Telegram's secret token) has a token
bucket: ``burst`` calls at once, refilled at ``per_minute``. A call over either answers 429
with ``Retry-After`` (problem+json; Open311's own error list on its paths, by its router's
handlers). The buckets live in the memory of each worker process: N workers admit up to N
times the rate, which a reverse proxy in front may bound globally.

Litestar's RateLimitMiddleware was not used: it keeps every call's timestamp as JSON per
client (rewritten on each call), limits by one identifier only, and sends no Retry-After.
"""

import hashlib
import math
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from litestar.exceptions import TooManyRequestsException
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from interfaces.http.auth import UNAUTHENTICATED

# Load balancers probe the health check; limiting it would take a healthy worker out.
NOT_LIMITED = "/health"
_HOOKS = "/hooks/"
_KEY_HEADERS = (b"x-telegram-bot-api-secret-token",)
_FORM = b"application/x-www-form-urlencoded"
# Idle buckets are forgotten once there are this many, so a flood of addresses cannot grow memory
# (nor make each call pay for the forgetting).
_MAX_BUCKETS = 50_000


@dataclass(slots=True)
class _Bucket:
    tokens: float
    at: float


class TokenBuckets:
    """Per key: ``burst`` calls at once, refilled at ``per_minute``; ``per_minute`` 0 is no limit."""

    def __init__(self, per_minute: int, burst: int, *, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self._monotonic = monotonic
        self._buckets: dict[Any, _Bucket] = {}

    def take(self, key: Any) -> float:
        """Takes one call from the key's bucket: 0.0 if admitted, else the seconds to wait."""
        if self.rate <= 0:
            return 0.0
        now = self._monotonic()
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= _MAX_BUCKETS:
                self._forget_full(now)
            bucket = self._buckets[key] = _Bucket(self.burst, now)
        else:
            bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.at) * self.rate)
            bucket.at = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return 0.0
        return (1.0 - bucket.tokens) / self.rate

    def _forget_full(self, now: float) -> None:
        # A bucket refilled to the brim is the same as no bucket.
        refill = self.burst / self.rate
        self._buckets = {key: b for key, b in self._buckets.items() if now - b.at < refill}
        if len(self._buckets) > _MAX_BUCKETS // 2:
            # A flood from more addresses than that: start afresh rather than rebuild on every call.
            self._buckets.clear()


@dataclass(frozen=True)
class EdgeLimits:
    """One set of buckets per app (per worker process), shared by all its routes."""

    calls: TokenBuckets
    hooks: TokenBuckets

    @classmethod
    def of(cls, per_minute: int, hooks_per_minute: int, burst: int) -> "EdgeLimits":
        return cls(TokenBuckets(per_minute, burst), TokenBuckets(hooks_per_minute, burst))


def without_token(path: str, opt: Mapping[str, Any]) -> bool:
    """Whether the route at that path is called without a bearer token (and so limited here)."""
    return bool(opt.get("exclude_from_auth")) or any(re.match(pattern, path) for pattern in UNAUTHENTICATED)


def _header(scope: Scope, wanted: bytes) -> bytes | None:
    for name, value in scope["headers"]:
        if name == wanted:
            return value
    return None


def _digest(key: str | bytes) -> bytes:
    # The buckets hold a digest, never a key or a secret itself.
    return hashlib.blake2b(key.encode() if isinstance(key, str) else key, digest_size=16).digest()


class RateLimit:
    """Litestar builds one instance per route; whether the route is limited is decided at
    its first call and remembered."""

    def __init__(self, app: ASGIApp, *, limits: EdgeLimits, max_body_bytes: int) -> None:
        self.app = app
        self.limits = limits
        self.max_body_bytes = max_body_bytes
        self._limited: bool | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self._limited is None:
            self._limited = scope["path"] != NOT_LIMITED and without_token(scope["path"], scope["route_handler"].opt)
        if self._limited:
            receive = await self._admit(scope, receive)
        await self.app(scope, receive, send)

    async def _admit(self, scope: Scope, receive: Receive) -> Receive:
        buckets = self.limits.hooks if scope["path"].startswith(_HOOKS) else self.limits.calls
        client = scope.get("client")
        wait = buckets.take(("client", client[0] if client else ""))
        if wait:
            _refuse(wait, "this address")
        key, receive = await self._key(scope, receive)
        if key is not None:
            wait = buckets.take(("key", _digest(key)))
            if wait:
                _refuse(wait, "this key")
        return receive

    async def _key(self, scope: Scope, receive: Receive) -> tuple[str | bytes | None, Receive]:
        """The caller's key, where it has one: a header, ``api_key`` in the query or in a form
        body (read here, within the body size limit, and replayed to the app)."""
        for name in _KEY_HEADERS:
            if (value := _header(scope, name)) is not None:
                return value, receive
        query = parse_qs(scope["query_string"].decode("latin-1")).get("api_key")
        if query:
            return query[0], receive
        content_type = _header(scope, b"content-type") or b""
        if scope["method"] != "POST" or not content_type.lower().startswith(_FORM):
            return None, receive
        messages, body = await self._read_body(receive)
        replay = iter(messages)

        async def replayed() -> Message:
            return next(replay, None) or await receive()

        form = parse_qs(body.decode("utf-8", errors="replace")).get("api_key")
        return (form[0] if form else None), replayed

    async def _read_body(self, receive: Receive) -> tuple[list[Message], bytes]:
        messages: list[Message] = []
        size, chunks = 0, []
        while True:
            message: Any = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if not message.get("more_body", False) or size > self.max_body_bytes:
                break
        return messages, b"".join(chunks)


def _refuse(wait: float, who: str) -> None:
    raise TooManyRequestsException(
        f"too many calls from {who}; repeat after the time in Retry-After",
        headers={"Retry-After": str(max(1, math.ceil(wait)))},
    )
