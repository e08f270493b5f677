"""Schemathesis drives every operation of the OpenAPI document, reads and moves alike, with a
supervisor's token: no answer may be a server error, carry a status its operation does not
document, or break the schema documented for that status.

Forty examples an operation, derandomized (the same inputs on every run, so a failure
reproduces) and without shrinking (a failure is reported as found: shrinking only spends the
time). Each operation is a test of its own. A few complaints are registered first, and a
complaint's id in a path is as often one of theirs as a generated one, so the moves act on
complaints that exist (and answer 200, 409, 412, 422) rather than only 404.
"""

from datetime import UTC, datetime, timedelta
from typing import Any

import schemathesis
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from adapters.clock import ManualClock
from adapters.config import Settings
from application.commands import Register
from interfaces.bootstrap import bootstrap
from interfaces.http.app import create_app
from interfaces.http.dto import REGISTRATION_EXAMPLE

EXAMPLES = 40

# The document's example registration is tried first (and again: 200), so its publication time
# must be recent by the service's clock.
_NOW = datetime.fromisoformat(str(REGISTRATION_EXAMPLE["received_at"])).astimezone(UTC) + timedelta(minutes=20)
_services = bootstrap(Settings(store="memory"), clock=ManualClock(_NOW))
_token = _services.access.issue_token(role="supervisor", name="schemathesis")
_complaints = [
    str(
        _services.complaints.register(
            Register(
                channel="phone",
                source_ref=f"call-{number}",
                author_ref=f"phone:{number}",
                text="Не вывозят мусор",
                received_at=_NOW - timedelta(hours=1),
                actor="operator:schemathesis",
            )
        ).complaint_id
    )
    for number in range(3)
]
schema = schemathesis.openapi.from_asgi("/schema/openapi.json", create_app(_services))


@schema.hook
def flatmap_path_parameters(
    context: Any, path_parameters: dict[str, Any] | None
) -> st.SearchStrategy[dict[str, Any] | None]:
    if not path_parameters or "complaint_id" not in path_parameters:
        return st.just(path_parameters)
    ids = st.sampled_from([path_parameters["complaint_id"], *_complaints])
    return ids.map(lambda complaint_id: {**path_parameters, "complaint_id": complaint_id})


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
