"""API tokens: issued once in plain text, afterwards known only by their hash."""

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.utils import EnvType

from application.clock import Clock, SystemClock
from application.countersign import Countersigned
from domain.access import ApiToken, Role, may_read, may_register, reads_every_channel

_PREFIX = "mcu_"
# Verified tokens kept at most this many; a process serves a handful of clients.
_REMEMBERED = 1024


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: the token's holder and role. The token itself is never kept."""

    token_id: UUID
    name: str
    role: Role
    channels: frozenset[str]

    @property
    def actor(self) -> str:
        return f"{self.role.value}:{self.name}"

    def may_register(self, channel: str) -> bool:
        return may_register(self.role, self.channels, channel)

    def may_read(self, channel: str) -> bool:
        return may_read(self.role, self.channels, channel)

    @property
    def reads_every_channel(self) -> bool:
        return reads_every_channel(self.role)


def _hash(token: str) -> str:
    # Tokens carry 256 random bits, so a fast hash is safe; a slow one would only cost latency.
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class AccessService(Countersigned):
    name = "Access"

    def __init__(
        self, env: EnvType | None = None, *, clock: Clock | None = None, remember: timedelta = timedelta(0)
    ) -> None:
        super().__init__(env)
        self.clock = clock or SystemClock()
        # Reading the token's history on every request cost a third of a registration's time,
        # so a verified token is trusted for ``remember``. A revocation here forgets it at once;
        # other processes (workers, the CLI) learn of it when their memory of it expires.
        self.remember = remember
        self._verified: dict[str, tuple[Principal, datetime]] = {}

    def issue_token(self, *, role: str, name: str, channels: Iterable[str] = ()) -> str:
        token = _PREFIX + secrets.token_urlsafe(32)
        self.save(ApiToken.issue(token_hash=_hash(token), role=role, name=name, channels=channels, at=self.clock.now()))
        return token

    def revoke_token(self, token: str) -> None:
        token_hash = _hash(token)
        self._verified.pop(token_hash, None)
        api_token = self._find(token_hash)
        if api_token is not None:
            api_token.revoke(at=self.clock.now())
            self.save(api_token)

    def remembered(self, token: str) -> Principal | None:
        """The token's holder if verified within ``remember``; reads nothing from the store."""
        verified = self._verified.get(_hash(token))
        if verified is None or verified[1] <= self.clock.now():
            return None
        return verified[0]

    def authenticate(self, token: str) -> Principal | None:
        if not token.startswith(_PREFIX):
            return None
        principal = self.remembered(token)
        if principal is not None:
            return principal
        token_hash = _hash(token)
        api_token = self._find(token_hash)
        if api_token is None or api_token.revoked:
            self._verified.pop(token_hash, None)
            return None
        principal = Principal(
            token_id=api_token.id, name=api_token.name, role=api_token.role, channels=api_token.channels
        )
        if self.remember > timedelta(0):
            if len(self._verified) >= _REMEMBERED:
                self._verified.clear()
            self._verified[token_hash] = (principal, self.clock.now() + self.remember)
        return principal

    def _find(self, token_hash: str) -> ApiToken | None:
        try:
            return self.repository.get(ApiToken.create_id(token_hash))
        except AggregateNotFoundError:
            return None
