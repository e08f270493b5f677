"""The roles matrix, route by route: 401 without a valid token, 403 for a role not admitted.

The tables in docs/ are read and compared with the code, so the documentation cannot drift.
"""

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from litestar.handlers import BaseRouteHandler
from litestar.testing import TestClient

from domain.access import Role
from interfaces.bootstrap import Services
from interfaces.http.auth import ROLES, UNAUTHENTICATED, role_guard

UNKNOWN = "00000000-0000-0000-0000-000000000001"
# One request per operation; an admitted role gets past the guard (404 for the unknown id,
# 400/422 for the deliberately empty body), a refused one gets 403 before anything is read.
CALLS: dict[str, tuple[str, str]] = {
    "registerComplaint": ("POST", "/api/v1/complaints"),
    "getComplaint": ("GET", f"/api/v1/complaints/{UNKNOWN}"),
    "getComplaintHistory": ("GET", f"/api/v1/complaints/{UNKNOWN}/history"),
    "assignComplaint": ("POST", f"/api/v1/complaints/{UNKNOWN}/assignment"),
    "respondToComplaint": ("POST", f"/api/v1/complaints/{UNKNOWN}/response"),
    "resolveComplaint": ("POST", f"/api/v1/complaints/{UNKNOWN}/resolution"),
    "requestClarification": ("POST", f"/api/v1/complaints/{UNKNOWN}/clarification-request"),
    "clarifyComplaint": ("POST", f"/api/v1/complaints/{UNKNOWN}/clarification"),
    "rejectComplaint": ("POST", f"/api/v1/complaints/{UNKNOWN}/rejection"),
    "reopenComplaint": ("POST", f"/api/v1/complaints/{UNKNOWN}/reopening"),
    "markDuplicate": ("POST", f"/api/v1/complaints/{UNKNOWN}/duplicate"),
}
MATRIX = [(operation, role) for operation in CALLS for role in Role]


def _call(client: TestClient, operation: str, headers: dict[str, str]):
    method, path = CALLS[operation]
    return client.request(method, path, headers=headers, json={} if method == "POST" else None)


def test_every_route_that_needs_a_token_is_in_the_matrix(client: TestClient) -> None:
    def needs_token(path: str, handler: BaseRouteHandler) -> bool:
        if "OPTIONS" in getattr(handler, "http_methods", ()):
            return False  # Litestar answers OPTIONS itself, without authentication
        by_bearer = not handler.opt.get("exclude_from_auth") and not any(re.match(p, path) for p in UNAUTHENTICATED)
        return by_bearer or role_guard in (handler.guards or [])

    judged = {
        handler.operation_id
        for route in client.app.routes
        for handler in getattr(route, "route_handlers", [])
        if needs_token(route.path, handler)
    }
    assert judged == set(ROLES)
    assert set(CALLS) <= judged


@pytest.mark.parametrize(("operation", "role"), MATRIX, ids=[f"{o}-{r.value}" for o, r in MATRIX])
def test_each_role_is_admitted_only_where_the_matrix_says(
    operation: str, role: Role, client: TestClient, auth: Callable[..., dict[str, str]]
) -> None:
    response = _call(client, operation, auth(role.value))
    if role in ROLES[operation]:
        assert response.status_code in {400, 404, 422}, response.text
    else:
        assert response.status_code == 403, response.text
        assert role.value in response.json()["detail"]


@pytest.mark.parametrize("operation", list(CALLS))
@pytest.mark.parametrize("header", [None, "Bearer", "Bearer mcu_not-a-real-token", "Basic dXNlcjpwYXNz"])
def test_without_a_valid_token_every_operation_is_401(operation: str, header: str | None, client: TestClient) -> None:
    response = _call(client, operation, {"Authorization": header} if header else {})
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_a_revoked_token_is_refused_at_once(client: TestClient, services: Services) -> None:
    token = services.access.issue_token(role="auditor", name="control department")
    headers = {"Authorization": f"Bearer {token}"}
    assert _call(client, "getComplaint", headers).status_code == 404
    services.access.revoke_token(token)
    assert _call(client, "getComplaint", headers).status_code == 401


def test_the_documented_matrix_is_the_matrix_in_the_code() -> None:
    docs = Path(__file__).resolve().parents[3] / "docs"
    manual = "\n".join(page.read_text(encoding="utf-8") for page in sorted(docs.glob("*.md")))
    header = next(line for line in manual.splitlines() if line.startswith("| operation "))
    roles = [cell.strip() for cell in header.strip("|").split("|")][2:]
    documented: dict[str, frozenset[Role]] = {}
    for line in manual.splitlines():
        match = re.match(r"^\| `(\w+)` \|", line)
        if match and match.group(1) in ROLES:
            cells = [cell.strip() for cell in line.strip("|").split("|")][2:]
            documented[match.group(1)] = frozenset(Role(r) for r, c in zip(roles, cells, strict=True) if c == "✓")
    assert documented == ROLES
