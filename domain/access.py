"""Who may use the API. A token is issued once and only its hash is ever stored."""

from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.complaint import Channel
from domain.errors import DomainError

_TOKEN_NAMESPACE = uuid5(NAMESPACE_URL, "urn:mcu:api-token")


class Role(StrEnum):
    OPERATOR = "operator"
    EXECUTOR = "executor"
    SUPERVISOR = "supervisor"
    AUDITOR = "auditor"
    INTAKE = "intake"
    OPEN311 = "open311"


# What the centre's staff register by hand: calls and its own web form. A network's posts come
# only through that network's adapter, or a machine token issued for that channel, so nobody
# can take a post's id before the citizen's post arrives.
STAFF_CHANNELS = frozenset({Channel.WEB.value, Channel.PHONE.value})
# Roles that read complaints of every channel; a machine reads only its own channels'.
_EVERY_CHANNEL = frozenset({Role.OPERATOR, Role.EXECUTOR, Role.SUPERVISOR, Role.AUDITOR})
# Roles that log into the console. An account of a machine role (intake, Open311) holds the
# tokens of an adapter or a partner and never a password.
PEOPLE = _EVERY_CHANNEL
MACHINES = frozenset({Role.INTAKE, Role.OPEN311})
# Open311 requests come through the Open311 endpoint, under a key of the role open311.
_INTAKE_CHANNELS = frozenset(c.value for c in Channel) - {Channel.OPEN311.value}


def may_register(role: Role, channels: frozenset[str], channel: str) -> bool:
    if role in (Role.OPERATOR, Role.SUPERVISOR):
        return channel in STAFF_CHANNELS
    return role is Role.INTAKE and channel in channels


def reads_every_channel(role: Role) -> bool:
    return role in _EVERY_CHANNEL


def may_read(role: Role, channels: frozenset[str], channel: str) -> bool:
    return reads_every_channel(role) or channel in channels


def checked_role(role: str) -> Role:
    try:
        return Role(role)
    except ValueError:
        known = ", ".join(r.value for r in Role)
        raise DomainError(f"unknown role {role!r}; known: {known}") from None


def _channels_for(role: Role, channels: Iterable[str]) -> tuple[str, ...]:
    """The channels a token of this role is issued for, checked."""
    given = tuple(dict.fromkeys(channels))
    if role is Role.OPEN311:
        if given not in ((), (Channel.OPEN311.value,)):
            raise DomainError("an Open311 key is for the channel open311 only")
        return (Channel.OPEN311.value,)
    if role is not Role.INTAKE:
        if given:
            raise DomainError(f"a token of the role {role.value} is not issued for channels")
        return ()
    if not given:
        raise DomainError("an intake token needs the channels it brings posts from")
    for channel in given:
        if channel not in _INTAKE_CHANNELS:
            known = ", ".join(sorted(_INTAKE_CHANNELS))
            raise DomainError(f"an intake token cannot be issued for {channel!r}; channels: {known}")
    return given


class ApiToken(Aggregate):
    class Issued(Aggregate.Created):
        # 2: a token belongs to an account; those issued before accounts existed belong to none.
        class_version = 2

        token_hash: str
        role: str
        name: str
        channels: list[str]
        account_id: UUID | None

        @staticmethod
        def upcast_v1_v2(state: dict) -> None:
            state["account_id"] = None

    class Revoked(Aggregate.Event):
        pass

    @staticmethod
    def create_id(token_hash: str) -> UUID:
        return uuid5(_TOKEN_NAMESPACE, token_hash)

    @classmethod
    def issue(
        cls,
        *,
        token_hash: str,
        role: str,
        name: str,
        at: datetime,
        channels: Iterable[str] = (),
        account_id: UUID | None = None,
        account_role: Role | None = None,
    ) -> "ApiToken":
        """``account_id`` and ``account_role``: the account the token belongs to. It carries the
        account's own role or a machine's (a head of shift holds the VK adapter's token), never
        another person's: an executor's token is an executor's account's."""
        checked = checked_role(role)
        if not name.strip():
            raise DomainError("a token needs a name saying who holds it")
        if account_role is not None and checked is not account_role and checked not in MACHINES:
            raise DomainError(f"an account of the role {account_role.value} cannot hold a token of the role {role}")
        return cls._create(
            cls.Issued,
            id=cls.create_id(token_hash),
            timestamp=at,
            token_hash=token_hash,
            role=checked.value,
            name=name,
            channels=list(_channels_for(checked, channels)),
            account_id=account_id,
        )

    # Tokens issued before channels existed were all staff or intake tokens of any channel;
    # they read as issued for none, so an old intake token must be issued again.
    @event(Issued)
    def __init__(
        self, token_hash: str, role: str, name: str, channels: Iterable[str] = (), account_id: UUID | None = None
    ) -> None:
        self.token_hash = token_hash
        self.account_id = account_id
        self.role = Role(role)
        self.name = name
        self.channels = frozenset(channels)
        self.revoked = False

    def revoke(self, *, at: datetime) -> None:
        if not self.revoked:
            self._revoked(timestamp=at)

    @event(Revoked)
    def _revoked(self, timestamp: datetime) -> None:
        self.revoked = True
