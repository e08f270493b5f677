"""The centre's people: accounts, one-time codes, passwords and whom a login lets in."""

import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.utils import EnvType, get_topic

from application.clock import Clock, SystemClock
from application.countersign import Countersigned
from domain.accounts import Account
from domain.errors import DomainError

# A password a person chooses; shorter ones fall to a guess within the throttle's patience.
MIN_PASSWORD_LENGTH = 10
_PAGE = 500


class PasswordHasher(Protocol):
    """A slow, salted hash (argon2 in production), so a copy of the store yields no password."""

    def hash(self, secret: str) -> str: ...

    def verify(self, hashed: str, secret: str) -> bool: ...


class AccountError(DomainError):
    """A command about an account that cannot be carried out (unknown login, duplicate)."""


class CodeExpired(AccountError):
    """The one-time code was right but is too old: the head of shift gives a new one."""


@dataclass(frozen=True, slots=True)
class Opened:
    account: Account
    code: str | None  # printed once; None for a machine's account


@dataclass(frozen=True, slots=True)
class Verdict:
    """What a login and a secret prove: ``account`` is None when nothing; ``needs_password``
    when the secret was the one-time code, which only lets the person set a password;
    ``code_expired`` when it was the code but too old to let them do even that."""

    account: Account | None
    needs_password: bool = False
    code_expired: bool = False


@dataclass(frozen=True, slots=True)
class Throttle:
    """Failed logins are slowed, then refused for a while: after the n-th failure the next try
    waits ``slow * 2**(n-1)``, and from ``limit`` failures on it waits ``lockout``."""

    slow: timedelta = timedelta(seconds=1)
    limit: int = 5
    lockout: timedelta = timedelta(minutes=15)

    def next_try(self, failures: int, last_failure: datetime) -> datetime:
        if failures <= 0:
            return last_failure
        if failures >= self.limit:
            return last_failure + self.lockout
        return last_failure + self.slow * 2 ** (failures - 1)


def _code() -> str:
    # Eight groups a person copies from a printout: 40 random bits is plenty, as the code only
    # works until the password is set and is throttled like a password.
    return "-".join(secrets.token_hex(2) for _ in range(5))


class AccountService(Countersigned):
    name = "Accounts"

    def __init__(
        self,
        env: EnvType | None = None,
        *,
        hasher: PasswordHasher,
        clock: Clock | None = None,
        code_lifetime: timedelta = timedelta(hours=24),
    ) -> None:
        super().__init__(env)
        self.hasher = hasher
        self.clock = clock or SystemClock()
        self.code_lifetime = code_lifetime
        self._nobody: str | None = None  # the hash of a secret nobody has, made when first needed

    def open(self, *, login: str, name: str, role: str, organisation: str | None = None) -> Opened:
        account = Account.open(login=login, name=name, role=role, organisation=organisation, at=self.clock.now())
        if self.get(account.id) is not None:
            raise AccountError(f"the login {account.login!r} is taken")
        code = None
        if account.is_person:
            code = _code()
            account.issue_code(code_hash=self.hasher.hash(code), at=self.clock.now())
        self.save(account)
        return Opened(account, code)

    def reassign(self, login: str, *, role: str, organisation: str | None = None) -> Account:
        account = self.by_login(login)
        account.reassign(role=role, organisation=organisation, at=self.clock.now())
        self.save(account)
        return account

    def new_code(self, login: str) -> str:
        account = self.by_login(login)
        code = _code()
        account.issue_code(code_hash=self.hasher.hash(code), at=self.clock.now())
        self.save(account)
        return code

    def deactivate(self, login: str) -> Account:
        account = self.by_login(login)
        account.deactivate(at=self.clock.now())
        self.save(account)
        return account

    def verify(self, login: str, secret: str) -> Verdict:
        account = self._find(Account.create_id(login))
        if account is None or not account.active or not account.is_person:
            # Hashed all the same, so the time taken does not tell which logins exist.
            self._nobody = self._nobody or self.hasher.hash(secrets.token_urlsafe(16))
            self.hasher.verify(self._nobody, secret)
            return Verdict(None)
        if account.password_hash is not None and self.hasher.verify(account.password_hash, secret):
            return Verdict(account)
        if account.code_hash is not None and self.hasher.verify(account.code_hash, secret):
            expires_at = self.code_expires_at(account)
            if expires_at is not None and self.clock.now() > expires_at:
                return Verdict(None, code_expired=True)
            return Verdict(account, needs_password=True)
        return Verdict(None)

    def code_expires_at(self, account: Account) -> datetime | None:
        return account.code_expires_at(self.code_lifetime)

    def set_password(self, login: str, *, code: str, password: str) -> Account:
        verdict = self.verify(login, code)
        if verdict.code_expired:
            raise CodeExpired("the one-time code has expired; ask the head of shift for a new one")
        if verdict.account is None or not verdict.needs_password:
            raise AccountError("the one-time code is wrong or was used")
        if len(password) < MIN_PASSWORD_LENGTH:
            raise AccountError(f"a password has at least {MIN_PASSWORD_LENGTH} characters")
        account = verdict.account
        account.set_password(password_hash=self.hasher.hash(password), at=self.clock.now())
        self.save(account)
        return account

    def get(self, account_id: UUID) -> Account | None:
        return self._find(account_id)

    def by_login(self, login: str) -> Account:
        account = self._find(Account.create_id(login))
        if account is None:
            raise AccountError(f"no account has the login {login.strip()!r}")
        return account

    def accounts(self) -> Iterator[Account]:
        """Every account, in the order they were opened."""
        topic = get_topic(Account.Created)
        start = 1
        while page := self.recorder.select_notifications(start, _PAGE, topics=[topic]):
            for notification in page:
                account = self._find(notification.originator_id)
                if account is not None:
                    yield account
            start = page[-1].id + 1

    def _find(self, account_id: UUID) -> Account | None:
        try:
            return self.repository.get(account_id)
        except AggregateNotFoundError:
            return None
