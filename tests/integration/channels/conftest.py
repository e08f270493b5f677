"""The services configured to talk to every network's fake on loopback (the `networks` fixture)."""

from collections.abc import Callable, Iterator

import pytest

from adapters.clock import ManualClock
from application.intake.source import Source
from interfaces.bootstrap import Services, bootstrap
from tests.fakes.networks import (
    CHAT,
    COMMUNITY,
    OK_GROUP,
    TG_SECRET,
    VK_SECRET,
    Networks,
)
from tests.fakes.triage import ScriptedTriage

__all__ = ["CHAT", "COMMUNITY", "OK_GROUP", "TG_SECRET", "VK_SECRET", "Networks"]


@pytest.fixture
def triage() -> ScriptedTriage:
    return ScriptedTriage()


@pytest.fixture
def services(networks: Networks, clock: ManualClock, triage: ScriptedTriage) -> Iterator[Services]:
    built = bootstrap(networks.settings(), clock=clock, triage=triage)
    yield built
    built.close()


@pytest.fixture
def source(services: Services) -> Callable[[str], Source]:
    def named(name: str) -> Source:
        return next(s for s in services.channels.sources if s.name == name)

    return named


def taken(services: Services) -> None:
    """Waits until the posts the webhooks recorded are taken by the intake worker."""
    assert services.channels.intake_worker.idle(timeout=10), "the recorded posts were not taken in time"
