"""Schemathesis drives every operation of the OpenAPI document, reads and moves alike, with a
supervisor's token: no answer may be a server error, carry a status its operation does not
document, or break the schema documented for that status.

Forty examples an operation, derandomized (the same inputs on every run, so a failure
reproduces) and without shrinking (a failure is reported as found: shrinking only spends the
time). Each operation is a test of its own.
"""

from datetime import UTC, datetime

import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from adapters.clock import ManualClock
from adapters.config import Settings
from interfaces.bootstrap import bootstrap
from interfaces.http.app import create_app

EXAMPLES = 40

# The real wall clock would make generated publication times "in the future" by chance only;
# a clock far ahead keeps registration reachable for the fuzzer.
_services = bootstrap(Settings(store="memory"), clock=ManualClock(datetime(2100, 1, 1, tzinfo=UTC)))
_token = _services.access.issue_token(role="supervisor", name="schemathesis")
schema = schemathesis.openapi.from_asgi("/schema/openapi.json", create_app(_services))


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_every_answer_is_documented_and_none_is_a_server_error(case: schemathesis.Case) -> None:
    case.call_and_validate(
        headers={"Authorization": f"Bearer {_token}"},
        checks=[not_a_server_error, status_code_conformance, response_schema_conformance],
    )
