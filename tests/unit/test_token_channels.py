"""A token registers and reads only the channels it is issued for: a network's posts come
through that network's adapter, so nobody can take a post's id before the citizen's post."""

import pytest

from adapters.clock import ManualClock
from application.access import AccessService, Principal
from domain.errors import DomainError
from tests.fixtures import START
from tests.unit.test_token_memory import ENV

NETWORKS = ["vk", "ok", "telegram", "gosuslugi"]


def _principal(role: str, *channels: str) -> Principal:
    access = AccessService(env=ENV, clock=ManualClock(START))
    principal = access.authenticate(access.issue_token(role=role, name="t", channels=channels))
    assert principal is not None
    return principal


@pytest.mark.parametrize("role", ["operator", "supervisor"])
def test_staff_register_calls_and_the_web_form_but_no_network_s_posts(role: str) -> None:
    staff = _principal(role)
    assert staff.may_register("phone") and staff.may_register("web")
    assert not any(staff.may_register(channel) for channel in [*NETWORKS, "open311"])
    assert all(staff.may_read(channel) for channel in [*NETWORKS, "web", "open311"])


def test_an_intake_token_registers_and_reads_only_its_own_channels() -> None:
    vk = _principal("intake", "vk")
    assert vk.may_register("vk") and vk.may_read("vk")
    assert not any(vk.may_register(c) or vk.may_read(c) for c in ["ok", "telegram", "gosuslugi", "web", "open311"])


def test_an_open311_key_reads_only_open311_and_registers_nothing_through_the_api() -> None:
    partner = _principal("open311")
    assert partner.channels == frozenset({"open311"})
    assert partner.may_read("open311") and not partner.may_read("gosuslugi")
    assert not partner.may_register("open311")


@pytest.mark.parametrize(
    ("role", "channels", "message"),
    [
        ("intake", (), "needs the channels"),
        ("intake", ("open311",), "cannot be issued for 'open311'"),
        ("intake", ("fax",), "cannot be issued for 'fax'"),
        ("operator", ("vk",), "not issued for channels"),
        ("open311", ("vk",), "open311 only"),
    ],
)
def test_tokens_are_issued_only_for_channels_their_role_can_have(
    role: str, channels: tuple[str, ...], message: str
) -> None:
    access = AccessService(env=ENV, clock=ManualClock(START))
    with pytest.raises(DomainError, match=message):
        access.issue_token(role=role, name="t", channels=channels)
