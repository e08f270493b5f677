import pytest

from adapters.triage import build_triage
from application.triage import Triage


@pytest.fixture(scope="session")
def triage() -> Triage:
    return build_triage()
