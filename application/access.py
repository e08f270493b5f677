"""API tokens: issued once in plain text, afterwards known only by their hash."""

import hashlib
import secrets
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.utils import EnvType, get_topic

from application.clock import Clock, SystemClock
from application.countersign import Countersigned
from domain.access import ApiToken, Role, may_read, may_register, reads_every_channel
from domain.accounts import Account
from domain.errors import DomainError

_PREFIX = "mcu_"
# Verified tokens kept at most this many; a process serves a handful of clients.
_REMEMBERED = 1024
_PAGE = 500
_ROLES = frozenset(role.value for role in Role)


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acted, read back from the words the history recorded (``Principal.actor``):
    ``role:name#account-id``, or ``role:name`` as tokens from before accounts and the adapters
    (``intake:vk``) write it. ``role`` is empty when the words are of neither form."""

    role: str
    name: str
    account_id: UUID | None = None

    @classmethod
    def parse(cls, recorded: str) -> "Actor":
        role, colon, rest = recorded.partition(":")
        if not colon or role not in _ROLES:
            return cls("", recorded)
        name, hash_, account = rest.rpartition("#")
        if hash_:
            try:
                return cls(role, name, UUID(account))
            except ValueError:
                pass  # a "#" of the name itself
        return cls(role, rest)

    def __str__(self) -> str:
        if self.account_id is None:
            return f"{self.role}:{self.name}"
        return f"{self.role}:{self.name}#{self.account_id}"


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: a person in the console (``token_id`` None) or a token's holder, with
    the account they act for. The token or session itself is never kept."""

    token_id: UUID | None
    name: str
    role: Role
    channels: frozenset[str]
    account_id: UUID | None = None
    organisation: str | None = None  # an executor's: the only one whose complaints they see

    @classmethod
    def of(cls, account: Account, *, token: ApiToken | None = None) -> "Principal":
        role = token.role if token is not None else account.role
        return cls(
            token_id=token.id if token is not None else None,
            name=account.name,
            role=role,
            channels=token.channels if token is not None else frozenset(),
            account_id=account.id,
            organisation=account.organisation if role is Role.EXECUTOR else None,
        )

    @property
    def actor(self) -> str:
        """As the history records it: the role, the name and the account's id, so two people of
        one name stay two. Tokens issued before accounts existed name only their holder."""
        return str(Actor(self.role.value, self.name, self.account_id))

    def may_see(self, organisation: str | None) -> bool:
        """An executor sees only complaints assigned to their organisation; others see all."""
        return self.role is not Role.EXECUTOR or (organisation is not None and organisation == self.organisation)

    def organisations_seen(self, asked: tuple[str, ...]) -> tuple[str, ...] | None:
        """The organisation filter a list is read with for this caller (empty: every one);
        None when nothing may be listed (an executor asking for another's only)."""
        if self.role is not Role.EXECUTOR:
            return asked
        own = self.organisation
        return (own,) if own is not None and (not asked or own in asked) else None

    @property
    def sees_every_complaint(self) -> bool:
        return reads_every_channel(self.role) and self.role is not Role.EXECUTOR

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


@dataclass(frozen=True, slots=True)
class TokenListing:
    id: UUID
    name: str
    role: Role
    channels: frozenset[str]
    account_id: UUID | None
    issued_at: datetime
    revoked: bool


class AccessService(Countersigned):
    name = "Access"

    def __init__(
        self,
        env: EnvType | None = None,
        *,
        clock: Clock | None = None,
        remember: timedelta = timedelta(0),
        accounts: Callable[[UUID], Account | None] = lambda _: None,
    ) -> None:
        """``accounts``: the account of an id, read as the token is verified, so a token acts
        with its account's present organisation and stops with the account."""
        super().__init__(env)
        self.clock = clock or SystemClock()
        self.accounts = accounts
        # Reading the token's history on every request cost a third of a registration's time,
        # so a verified token is trusted for ``remember``. A revocation here forgets it at once;
        # other processes (workers, the CLI) learn of it when their memory of it expires.
        self.remember = remember
        self._verified: dict[str, tuple[Principal, datetime]] = {}

    def issue_token(self, *, role: str, name: str, channels: Iterable[str] = (), account: Account | None = None) -> str:
        if account is not None and not account.active:
            raise DomainError(f"the account {account.login!r} is deactivated")
        token = _PREFIX + secrets.token_urlsafe(32)
        self.save(
            ApiToken.issue(
                token_hash=_hash(token),
                role=role,
                name=name,
                channels=channels,
                at=self.clock.now(),
                account_id=account.id if account is not None else None,
                account_role=account.role if account is not None else None,
            )
        )
        return token

    def issue_for(self, account: Account, *, name: str, role: str | None = None, channels: Iterable[str] = ()) -> str:
        """A token for an account: of its own role unless a machine's is given (the head of
        shift holds the VK adapter's token). What `mcu token issue` and the console both issue."""
        return self.issue_token(role=role or account.role.value, name=name, channels=channels, account=account)

    def revoke_by_id(self, token_id: UUID) -> bool:
        """False when no token has that id. Other processes stop trusting it within ``remember``."""
        try:
            api_token: ApiToken = self.repository.get(token_id)
        except AggregateNotFoundError:
            return False
        self._verified.pop(api_token.token_hash, None)
        api_token.revoke(at=self.clock.now())
        self.save(api_token)
        return True

    def tokens(self) -> Iterator[TokenListing]:
        """Every token ever issued, the oldest first."""
        topic = get_topic(ApiToken.Issued)
        start = 1
        while page := self.recorder.select_notifications(start, _PAGE, topics=[topic]):
            for notification in page:
                api_token: ApiToken = self.repository.get(notification.originator_id)
                yield TokenListing(
                    id=api_token.id,
                    name=api_token.name,
                    role=api_token.role,
                    channels=api_token.channels,
                    account_id=api_token.account_id,
                    issued_at=api_token.created_on,
                    revoked=api_token.revoked,
                )
            start = page[-1].id + 1

    def revoke_token(self, token: str) -> bool:
        """False when no token is that one."""
        token_hash = _hash(token)
        self._verified.pop(token_hash, None)
        api_token = self._find(token_hash)
        if api_token is None:
            return False
        api_token.revoke(at=self.clock.now())
        self.save(api_token)
        return True

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
        principal = self._principal(api_token)
        if principal is None:
            return None
        if self.remember > timedelta(0):
            if len(self._verified) >= _REMEMBERED:
                self._verified.clear()
            self._verified[token_hash] = (principal, self.clock.now() + self.remember)
        return principal

    def _principal(self, api_token: ApiToken) -> Principal | None:
        if api_token.account_id is None:
            return Principal(
                token_id=api_token.id, name=api_token.name, role=api_token.role, channels=api_token.channels
            )
        account = self.accounts(api_token.account_id)
        if account is None or not account.active:
            return None
        return Principal.of(account, token=api_token)

    def _find(self, token_hash: str) -> ApiToken | None:
        try:
            return self.repository.get(ApiToken.create_id(token_hash))
        except AggregateNotFoundError:
            return None
