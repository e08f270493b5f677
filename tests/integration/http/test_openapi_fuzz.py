"""Schemathesis drives every operation from the OpenAPI document: no 5xx, no off-schema reply."""

from datetime import UTC, datetime

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from adapters.clock import ManualClock
from adapters.config import Settings
from interfaces.bootstrap import bootstrap
from interfaces.http.app import create_app

# The real wall clock would make generated publication times "in the future" by chance only;
# a clock far ahead keeps registration reachable for the fuzzer.
_services = bootstrap(Settings(store="memory"), clock=ManualClock(datetime(2100, 1, 1, tzinfo=UTC)))
_token = _services.access.issue_token(role="supervisor", name="schemathesis")
schema = schemathesis.openapi.from_asgi("/schema/openapi.json", create_app(_services))


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_error_and_no_response_off_the_schema(case: schemathesis.Case) -> None:
    case.call_and_validate(
        headers={"Authorization": f"Bearer {_token}"},
        checks=[not_a_server_error, response_schema_conformance],
    )
