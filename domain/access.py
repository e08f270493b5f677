"""Who may use the API. A token is issued once and only its hash is ever stored."""

from datetime import datetime
from enum import StrEnum
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.errors import DomainError

_TOKEN_NAMESPACE = uuid5(NAMESPACE_URL, "urn:mcu:api-token")


class Role(StrEnum):
    OPERATOR = "operator"
    EXECUTOR = "executor"
    SUPERVISOR = "supervisor"
    AUDITOR = "auditor"
    INTAKE = "intake"


class ApiToken(Aggregate):
    class Issued(Aggregate.Created):
        token_hash: str
        role: str
        name: str

    class Revoked(Aggregate.Event):
        pass

    @staticmethod
    def create_id(token_hash: str) -> UUID:
        return uuid5(_TOKEN_NAMESPACE, token_hash)

    @classmethod
    def issue(cls, *, token_hash: str, role: str, name: str, at: datetime) -> "ApiToken":
        try:
            role = Role(role).value
        except ValueError:
            known = ", ".join(r.value for r in Role)
            raise DomainError(f"unknown role {role!r}; known: {known}") from None
        if not name.strip():
            raise DomainError("a token needs a name saying who holds it")
        return cls._create(
            cls.Issued,
            id=cls.create_id(token_hash),
            timestamp=at,
            token_hash=token_hash,
            role=role,
            name=name,
        )

    @event(Issued)
    def __init__(self, token_hash: str, role: str, name: str) -> None:
        self.token_hash = token_hash
        self.role = Role(role)
        self.name = name
        self.revoked = False

    def revoke(self, *, at: datetime) -> None:
        if not self.revoked:
            self._revoked(timestamp=at)

    @event(Revoked)
    def _revoked(self, timestamp: datetime) -> None:
        self.revoked = True
