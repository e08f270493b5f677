"""The in-memory services with the scripted triage, for intake's unit tests."""

from collections.abc import Iterator

import pytest

from adapters.clock import ManualClock
from adapters.config import Settings
from interfaces.bootstrap import Services, bootstrap
from tests.fakes.triage import ScriptedTriage


@pytest.fixture
def triage() -> ScriptedTriage:
    return ScriptedTriage()


@pytest.fixture
def services(clock: ManualClock, triage: ScriptedTriage) -> Iterator[Services]:
    built = bootstrap(Settings(store="memory"), clock=clock, triage=triage)
    yield built
    built.close()
