"""Console sessions, failed-login counts and tokens' last use, in one server-side store.

The store is Litestar's FileStore in the data folder: every worker of a machine and every
restart reads the same sessions, with nothing more to run. Several machines behind one
balancer share Litestar's RedisStore instead (MCU_SESSION_STORE=redis). (A table in the event
store would be shared by machines too, but a session's every renewal would be a write in the
database the registrations wait on.) In-memory services keep them in memory. The cookie
carries only a random key; the store is keyed by its hash, so a copy of the store opens no
session.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

import msgspec
from litestar.stores.base import Store
from litestar.stores.file import FileStore
from litestar.stores.memory import MemoryStore
from litestar.stores.redis import RedisStore

from adapters.config import Settings
from application.accounts import Throttle
from application.clock import Clock

COOKIE = "mcu_session"
# A session's last use is written at most this often: the idle timeout is hours long.
_RENEWAL = timedelta(minutes=1)


# The keys' prefix in a Redis that may serve others too.
REDIS_NAMESPACE = "mcu-console"


def open_store(settings: Settings) -> Store:
    """The store as configured; whoever opens it closes it (``async with``), which ends a
    Redis client's connections."""
    if settings.session_store == "redis":
        return RedisStore.with_client(settings.redis_url.get_secret_value(), namespace=REDIS_NAMESPACE)
    if settings.store == "memory":
        return MemoryStore()
    folder = settings.data_dir / "sessions"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return FileStore(folder)


class _Session(msgspec.Struct):
    account: str
    seen: datetime
    csrf: str


class _Failures(msgspec.Struct):
    count: int
    last: datetime


@dataclass(frozen=True, slots=True)
class Session:
    key: str  # the cookie's value
    account_id: UUID
    csrf: str


def _hashed(kind: str, value: str) -> str:
    return f"{kind}:{hashlib.sha256(value.encode('utf-8')).hexdigest()}"


class Sessions:
    def __init__(self, store: Store, clock: Clock, *, idle: timedelta, throttle: Throttle) -> None:
        self.store = store
        self.clock = clock
        self.idle = idle
        self.throttle = throttle

    async def start(self, account_id: UUID) -> Session:
        session = Session(secrets.token_urlsafe(32), account_id, secrets.token_urlsafe(32))
        await self._write(session.key, _Session(str(account_id), self.clock.now(), session.csrf))
        return session

    async def read(self, key: str) -> Session | None:
        """The session if it was used within the idle timeout; its use renews it."""
        stored = await self.store.get(_hashed("session", key))
        if stored is None:
            return None
        found = msgspec.json.decode(stored, type=_Session)
        now = self.clock.now()
        if now - found.seen > self.idle:
            await self.end(key)
            return None
        if now - found.seen > _RENEWAL:
            await self._write(key, _Session(found.account, now, found.csrf))
        return Session(key, UUID(found.account), found.csrf)

    async def end(self, key: str) -> None:
        await self.store.delete(_hashed("session", key))

    async def _write(self, key: str, session: _Session) -> None:
        # The store forgets it a little after the idle timeout by its own time; the timeout
        # itself is judged above by the application's clock.
        await self.store.set(_hashed("session", key), msgspec.json.encode(session), expires_in=self.idle + _RENEWAL)

    async def next_try(self, login: str) -> datetime | None:
        """When the login may be tried again, if it is held back now."""
        stored = await self.store.get(_hashed("failures", login))
        if stored is None:
            return None
        failures = msgspec.json.decode(stored, type=_Failures)
        at = self.throttle.next_try(failures.count, failures.last)
        return at if at > self.clock.now() else None

    async def failed(self, login: str) -> None:
        key = _hashed("failures", login)
        stored = await self.store.get(key)
        count = msgspec.json.decode(stored, type=_Failures).count + 1 if stored else 1
        await self.store.set(
            key, msgspec.json.encode(_Failures(count, self.clock.now())), expires_in=self.throttle.lockout * 2
        )

    async def succeeded(self, login: str) -> None:
        await self.store.delete(_hashed("failures", login))


class TokenUse:
    """When each API token was last used, written at most once a minute per token and process:
    a token's requests are not events, and a write per request would cost registrations."""

    def __init__(self, store: Store, clock: Clock) -> None:
        self.store = store
        self.clock = clock
        self._written: dict[UUID, datetime] = {}

    def due(self, token_id: UUID) -> bool:
        written = self._written.get(token_id)
        return written is None or self.clock.now() - written >= _RENEWAL

    async def record(self, token_id: UUID) -> None:
        now = self.clock.now()
        self._written[token_id] = now
        await self.store.set(f"token-used:{token_id}", now.isoformat())

    async def last(self, token_id: UUID) -> datetime | None:
        stored = await self.store.get(f"token-used:{token_id}")
        return datetime.fromisoformat(stored.decode("ascii")) if stored else None
