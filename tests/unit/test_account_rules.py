"""The centre's people: accounts' rules, one-time codes and passwords, the throttle's schedule,
and tokens that act as their account (including tokens issued before accounts existed)."""

from datetime import timedelta
from uuid import uuid4

import pytest
from argon2 import PasswordHasher
from eventsourcing.persistence import StoredEvent

from adapters.clock import ManualClock
from adapters.passwords import Argon2Hasher
from application.access import AccessService, Actor
from application.accounts import AccountError, AccountService, CodeExpired, Throttle, Verdict
from domain.access import ApiToken
from domain.accounts import Account
from domain.errors import DomainError
from tests.fixtures import START
from tests.unit.test_token_memory import ENV

# The library's hash at its cheapest: the unit tests judge the rules, not argon2's cost.
CHEAP = Argon2Hasher(PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def accounts(clock: ManualClock) -> AccountService:
    return AccountService(env=ENV, hasher=CHEAP, clock=clock)


def test_an_executor_needs_an_organisation_and_nobody_else_has_one() -> None:
    with pytest.raises(DomainError, match="needs the organisation"):
        Account.open(login="ivan", name="Иван", role="executor", organisation=None, at=START)
    with pytest.raises(DomainError, match="only an executor"):
        Account.open(login="anna", name="Анна", role="operator", organisation="ДГХ", at=START)
    ivan = Account.open(login="Ivan ", name="Иван", role="executor", organisation="ДГХ", at=START)
    assert (ivan.login, ivan.organisation) == ("ivan", "ДГХ")


def test_a_login_is_taken_once_whatever_its_case(accounts: AccountService) -> None:
    accounts.open(login="anna", name="Анна", role="operator")
    with pytest.raises(AccountError, match="taken"):
        accounts.open(login="ANNA", name="Анна другая", role="auditor")


def test_the_code_sets_the_password_once_and_the_password_logs_in(accounts: AccountService) -> None:
    code = accounts.open(login="anna", name="Анна", role="operator").code
    assert code is not None
    assert accounts.verify("anna", code).needs_password
    with pytest.raises(AccountError, match="at least 10"):
        accounts.set_password("anna", code=code, password="short")
    accounts.set_password("anna", code=code, password="достаточно длинный")
    assert accounts.verify("anna", code).account is None
    assert accounts.verify("anna", "достаточно длинный").account is not None
    assert accounts.verify("anna", "не тот пароль").account is None
    assert accounts.verify("nobody", "достаточно длинный").account is None


def test_a_new_code_replaces_the_last_and_a_machine_gets_none(accounts: AccountService) -> None:
    first = accounts.open(login="anna", name="Анна", role="operator").code
    second = accounts.new_code("anna")
    assert accounts.verify("anna", first).account is None and accounts.verify("anna", second).needs_password
    assert accounts.open(login="vk", name="Адаптер VK", role="intake").code is None
    with pytest.raises(DomainError, match="tokens only"):
        accounts.new_code("vk")


def test_a_code_works_for_its_lifetime_from_when_it_was_issued_even_after_a_reload(
    accounts: AccountService, clock: ManualClock
) -> None:
    code = accounts.open(login="anna", name="Анна", role="operator").code
    assert accounts.code_expires_at(accounts.by_login("anna")) == START + accounts.code_lifetime
    clock.advance(accounts.code_lifetime)
    assert accounts.verify("anna", code).needs_password
    clock.advance(timedelta(seconds=1))
    assert accounts.verify("anna", code) == Verdict(None, code_expired=True)
    assert accounts.verify("anna", "не тот код").code_expired is False
    with pytest.raises(CodeExpired):
        accounts.set_password("anna", code=code, password="достаточно длинный")
    # A new code counts from its own issue; a set password leaves no code to expire.
    fresh = accounts.new_code("anna")
    accounts.set_password("anna", code=fresh, password="достаточно длинный")
    assert accounts.code_expires_at(accounts.by_login("anna")) is None


def test_a_deactivated_account_logs_in_no_more_and_cannot_change(accounts: AccountService) -> None:
    code = accounts.open(login="anna", name="Анна", role="operator").code
    accounts.set_password("anna", code=code, password="достаточно длинный")
    accounts.deactivate("anna")
    assert accounts.verify("anna", "достаточно длинный").account is None
    with pytest.raises(DomainError, match="deactivated"):
        accounts.reassign("anna", role="auditor")


def test_a_person_does_not_become_a_machine(accounts: AccountService) -> None:
    accounts.open(login="anna", name="Анна", role="operator")
    with pytest.raises(DomainError, match="cannot become"):
        accounts.reassign("anna", role="intake")
    assert accounts.reassign("anna", role="executor", organisation="ДГХ").organisation == "ДГХ"


def test_every_account_is_listed_in_order(accounts: AccountService) -> None:
    for login in ("b", "a", "c"):
        accounts.open(login=login, name=login.upper(), role="auditor")
    assert [a.login for a in accounts.accounts()] == ["b", "a", "c"]


def test_failed_logins_are_slowed_then_refused_a_while() -> None:
    throttle = Throttle(slow=timedelta(seconds=1), limit=5, lockout=timedelta(minutes=15))
    waits = [throttle.next_try(n, START) - START for n in range(1, 6)]
    assert waits == [timedelta(seconds=s) for s in (1, 2, 4, 8)] + [timedelta(minutes=15)]


def test_a_token_acts_as_its_account_and_stops_with_it(accounts: AccountService, clock: ManualClock) -> None:
    access = AccessService(env=ENV, clock=clock, accounts=accounts.get)
    ivan = accounts.open(login="ivan", name="Иван", role="executor", organisation="ДГХ").account
    principal = access.authenticate(access.issue_token(role="executor", name="АРМ ДГХ", account=ivan))
    assert principal is not None
    assert (principal.actor, principal.organisation) == (f"executor:Иван#{ivan.id}", "ДГХ")
    with pytest.raises(DomainError, match="cannot hold a token of the role operator"):
        access.issue_token(role="operator", name="x", account=ivan)
    machine = access.issue_token(role="intake", name="vk", channels=["vk"], account=ivan)
    accounts.deactivate("ivan")
    assert access.authenticate(machine) is None


def test_tokens_are_listed_and_revoked_by_id(accounts: AccountService, clock: ManualClock) -> None:
    access = AccessService(env=ENV, clock=clock, accounts=accounts.get)
    head = accounts.open(login="head", name="Старший", role="supervisor").account
    token = access.issue_token(role="supervisor", name="скрипт", account=head)
    [listed] = access.tokens()
    assert (listed.name, listed.account_id, listed.revoked) == ("скрипт", head.id, False)
    assert access.revoke_by_id(listed.id) and access.authenticate(token) is None
    assert [t.revoked for t in access.tokens()] == [True]
    assert not access.revoke_by_id(uuid4())


def test_a_token_issued_before_accounts_existed_still_loads_and_acts_by_its_name(clock: ManualClock) -> None:
    access = AccessService(env=ENV, clock=clock)
    token = access.issue_token(role="operator", name="Анна")
    [stored] = access.recorder.select_events(next(iter(access.tokens())).id)
    # The event as version 1 wrote it: no account, no class_version.
    state = access.mapper.transcoder.decode(stored.state)
    del state["account_id"]
    state.pop("class_version", None)
    old = StoredEvent(stored.originator_id, 1, stored.topic, access.mapper.transcoder.encode(state))
    legacy = AccessService(env=ENV, clock=clock)
    legacy.recorder.insert_events([old])
    principal = legacy.authenticate(token)
    assert principal is not None and (principal.actor, principal.account_id) == ("operator:Анна", None)
    assert isinstance(legacy.repository.get(old.originator_id), ApiToken)


@pytest.mark.parametrize(
    ("recorded", "role", "name", "account"),
    [
        ("operator:Анна Петрова#3f2a1b2c-0000-4000-8000-000000000001", "operator", "Анна Петрова", True),
        ("operator:import", "operator", "import", False),
        ("intake:vk", "intake", "vk", False),
        ("supervisor:Дом #5", "supervisor", "Дом #5", False),
        ("citizen", "", "citizen", False),
        ("mayor:Иванов", "", "mayor:Иванов", False),
    ],
)
def test_who_acted_is_read_back_from_the_words_recorded(recorded: str, role: str, name: str, account: bool) -> None:
    actor = Actor.parse(recorded)
    assert (actor.role, actor.name, actor.account_id is not None) == (role, name, account)
    if role:
        assert str(actor) == recorded
