"""Every network's fake on loopback, and the services configured to talk to them."""

from collections.abc import Callable, Iterator

import pytest
from litestar.testing import TestClient

from adapters.clock import ManualClock
from application.intake.source import Source
from interfaces.bootstrap import Services, bootstrap
from interfaces.http.app import create_app
from tests.fakes.networks import (
    CHAT,
    COMMUNITY,
    OK_GROUP,
    TG_SECRET,
    VK_SECRET,
    Networks,
    running_networks,
)
from tests.fakes.triage import ScriptedTriage

__all__ = ["CHAT", "COMMUNITY", "OK_GROUP", "TG_SECRET", "VK_SECRET", "Networks"]


@pytest.fixture
def networks() -> Iterator[Networks]:
    with running_networks() as running:
        yield running


@pytest.fixture
def triage() -> ScriptedTriage:
    return ScriptedTriage()


@pytest.fixture
def services(networks: Networks, clock: ManualClock, triage: ScriptedTriage) -> Iterator[Services]:
    built = bootstrap(networks.settings(), clock=clock, triage=triage)
    yield built
    built.close()


@pytest.fixture
def client(services: Services) -> Iterator[TestClient]:
    with TestClient(create_app(services)) as test_client:
        yield test_client


@pytest.fixture
def source(services: Services) -> Callable[[str], Source]:
    def named(name: str) -> Source:
        return next(s for s in services.channels.sources if s.name == name)

    return named
