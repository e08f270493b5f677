"""A verified token is trusted for a short while, so requests need not read its history."""

from datetime import timedelta

from adapters.clock import ManualClock
from adapters.memory_store import InMemoryFactory
from application.access import AccessService
from tests.fixtures import START

ENV = {"PERSISTENCE_MODULE": f"{InMemoryFactory.__module__}:{InMemoryFactory.__name__}"}


def _access(clock: ManualClock, remember: timedelta = timedelta(seconds=2)) -> AccessService:
    return AccessService(env=ENV, clock=clock, remember=remember)


def test_a_verified_token_is_remembered_until_its_memory_expires() -> None:
    clock = ManualClock(START)
    access = _access(clock)
    token = access.issue_token(role="operator", name="Иванова")
    assert access.remembered(token) is None
    principal = access.authenticate(token)
    assert principal is not None and principal.actor == "operator:Иванова"
    assert access.remembered(token) == principal
    clock.advance(timedelta(seconds=2))
    assert access.remembered(token) is None


def test_a_revocation_in_this_process_holds_at_once() -> None:
    access = _access(ManualClock(START))
    token = access.issue_token(role="operator", name="Иванова")
    access.authenticate(token)
    access.revoke_token(token)
    assert access.remembered(token) is None
    assert access.authenticate(token) is None


def test_without_memory_every_call_reads_the_store() -> None:
    access = _access(ManualClock(START), remember=timedelta(0))
    token = access.issue_token(role="auditor", name="КРУ")
    assert access.authenticate(token) is not None
    assert access.remembered(token) is None


def test_unknown_tokens_are_not_remembered() -> None:
    access = _access(ManualClock(START))
    assert access.authenticate("mcu_unknown") is None
    assert access.remembered("mcu_unknown") is None
