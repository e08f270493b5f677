"""The centre's people: a named account per person, with a role and, for an executor, the
organisation they answer for. Passwords and one-time codes are held only as hashes the
application makes; the domain judges who may hold which, never how they are hashed."""

from datetime import datetime, timedelta
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.access import MACHINES, PEOPLE, Role, checked_role
from domain.errors import DomainError

_ACCOUNT_NAMESPACE = uuid5(NAMESPACE_URL, "urn:mcu:account")


def _organisation_for(role: Role, organisation: str | None) -> str | None:
    given = (organisation or "").strip() or None
    if role is Role.EXECUTOR and given is None:
        raise DomainError("an executor's account needs the organisation they answer for")
    if role is not Role.EXECUTOR and given is not None:
        raise DomainError(f"only an executor's account has an organisation, not one of the role {role.value}")
    return given


def normal_login(login: str) -> str:
    """Logins compare without case or surrounding spaces: «Anna» and «anna » are one person."""
    return login.strip().lower()


class Account(Aggregate):
    class Created(Aggregate.Created):
        login: str
        name: str
        role: str
        organisation: str | None

    class Reassigned(Aggregate.Event):
        role: str
        organisation: str | None

    class CodeIssued(Aggregate.Event):
        code_hash: str

    class PasswordSet(Aggregate.Event):
        password_hash: str

    class Deactivated(Aggregate.Event):
        pass

    @staticmethod
    def create_id(login: str) -> UUID:
        # One account per login, whichever process creates it first.
        return uuid5(_ACCOUNT_NAMESPACE, normal_login(login))

    @classmethod
    def open(cls, *, login: str, name: str, role: str, organisation: str | None, at: datetime) -> "Account":
        login = normal_login(login)
        if not login or any(c.isspace() for c in login):
            raise DomainError("a login is one word without spaces")
        if not name.strip():
            raise DomainError("an account needs the person's name")
        checked = checked_role(role)
        return cls._create(
            cls.Created,
            id=cls.create_id(login),
            timestamp=at,
            login=login,
            name=name.strip(),
            role=checked.value,
            organisation=_organisation_for(checked, organisation),
        )

    @event(Created)
    def __init__(self, login: str, name: str, role: str, organisation: str | None) -> None:
        self.login = login
        self.name = name
        self.role = Role(role)
        self.organisation = organisation
        self.code_hash: str | None = None
        self.code_issued_at: datetime | None = None
        self.password_hash: str | None = None
        self.active = True

    @property
    def is_person(self) -> bool:
        return self.role in PEOPLE

    def reassign(self, *, role: str, organisation: str | None, at: datetime) -> None:
        self._check_active()
        checked = checked_role(role)
        if checked in PEOPLE and self.role in MACHINES or checked in MACHINES and self.role in PEOPLE:
            raise DomainError("a person's account cannot become a machine's, nor a machine's a person's")
        given = _organisation_for(checked, organisation)
        if (checked, given) != (self.role, self.organisation):
            self._reassigned(role=checked.value, organisation=given, timestamp=at)

    @event(Reassigned)
    def _reassigned(self, role: str, organisation: str | None, timestamp: datetime) -> None:
        self.role = Role(role)
        self.organisation = organisation

    def issue_code(self, *, code_hash: str, at: datetime) -> None:
        """A new one-time code; the person sets their password with it, and the last code
        issued is the only one that works."""
        self._check_active()
        if not self.is_person:
            raise DomainError(f"an account of the role {self.role.value} logs in with tokens only")
        self._code_issued(code_hash=code_hash, timestamp=at)

    @event(CodeIssued)
    def _code_issued(self, code_hash: str, timestamp: datetime) -> None:
        self.code_hash = code_hash
        self.code_issued_at = timestamp

    def code_expires_at(self, lifetime: timedelta) -> datetime | None:
        """When the one-time code stops working, if there is one still to use: a code left on
        a printout or in a chat is worth nothing to whoever finds it later."""
        if self.code_hash is None or self.code_issued_at is None:
            return None
        return self.code_issued_at + lifetime

    def set_password(self, *, password_hash: str, at: datetime) -> None:
        self._check_active()
        if self.code_hash is None:
            raise DomainError("a password is set with a one-time code; ask the head of shift for one")
        self._password_set(password_hash=password_hash, timestamp=at)

    @event(PasswordSet)
    def _password_set(self, password_hash: str, timestamp: datetime) -> None:
        self.password_hash = password_hash
        self.code_hash = None  # used once

    def deactivate(self, *, at: datetime) -> None:
        if self.active:
            self._deactivated(timestamp=at)

    @event(Deactivated)
    def _deactivated(self, timestamp: datetime) -> None:
        self.active = False
        self.code_hash = None

    def _check_active(self) -> None:
        if not self.active:
            raise DomainError(f"the account {self.login!r} is deactivated")
