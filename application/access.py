"""API tokens: issued once in plain text, afterwards known only by their hash."""

import hashlib
import secrets
from dataclasses import dataclass
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.utils import EnvType

from application.clock import Clock, SystemClock
from domain.access import ApiToken, Role

_PREFIX = "mcu_"


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: the token's holder and role. The token itself is never kept."""

    token_id: UUID
    name: str
    role: Role

    @property
    def actor(self) -> str:
        return f"{self.role.value}:{self.name}"


def _hash(token: str) -> str:
    # Tokens carry 256 random bits, so a fast hash is safe; a slow one would only cost latency.
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class AccessService(Application[UUID]):
    name = "Access"

    def __init__(self, env: EnvType | None = None, *, clock: Clock | None = None) -> None:
        super().__init__(env)
        self.clock = clock or SystemClock()

    def issue_token(self, *, role: str, name: str) -> str:
        token = _PREFIX + secrets.token_urlsafe(32)
        self.save(ApiToken.issue(token_hash=_hash(token), role=role, name=name, at=self.clock.now()))
        return token

    def revoke_token(self, token: str) -> None:
        token_hash = _hash(token)
        api_token = self._find(token_hash)
        if api_token is not None:
            api_token.revoke(at=self.clock.now())
            self.save(api_token)

    def authenticate(self, token: str) -> Principal | None:
        if not token.startswith(_PREFIX):
            return None
        # Looked up on every request, not cached, so a revocation holds at once in every worker.
        api_token = self._find(_hash(token))
        if api_token is None or api_token.revoked:
            return None
        return Principal(token_id=api_token.id, name=api_token.name, role=api_token.role)

    def _find(self, token_hash: str) -> ApiToken | None:
        try:
            return self.repository.get(ApiToken.create_id(token_hash))
        except AggregateNotFoundError:
            return None
