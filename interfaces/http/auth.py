"""Bearer tokens and the roles matrix: who may call which operation."""

from typing import Any

from litestar.concurrency import sync_to_thread
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers import BaseRouteHandler
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult

from application.access import AccessService, Principal
from domain.access import Role

OPERATOR, EXECUTOR, SUPERVISOR, AUDITOR, INTAKE, OPEN311 = (
    Role.OPERATOR,
    Role.EXECUTOR,
    Role.SUPERVISOR,
    Role.AUDITOR,
    Role.INTAKE,
    Role.OPEN311,
)

# operation id → roles admitted. The roles tables in docs/ are checked against this by a test.
ROLES: dict[str, frozenset[Role]] = {
    "registerComplaint": frozenset({OPERATOR, SUPERVISOR, INTAKE}),
    "getComplaint": frozenset({OPERATOR, EXECUTOR, SUPERVISOR, AUDITOR, INTAKE}),
    "getComplaintHistory": frozenset({OPERATOR, EXECUTOR, SUPERVISOR, AUDITOR}),
    "assignComplaint": frozenset({OPERATOR, SUPERVISOR}),
    "respondToComplaint": frozenset({OPERATOR, EXECUTOR, SUPERVISOR}),
    "resolveComplaint": frozenset({OPERATOR, EXECUTOR, SUPERVISOR}),
    "requestClarification": frozenset({OPERATOR, SUPERVISOR, INTAKE}),
    "clarifyComplaint": frozenset({OPERATOR, SUPERVISOR, INTAKE}),
    "rejectComplaint": frozenset({OPERATOR, SUPERVISOR}),
    "reopenComplaint": frozenset({OPERATOR, SUPERVISOR}),
    "markDuplicate": frozenset({OPERATOR, SUPERVISOR}),
    "verifyLog": frozenset({SUPERVISOR, AUDITOR}),
    "getPersonalDataReads": frozenset({SUPERVISOR, AUDITOR}),
    "forgetCitizen": frozenset({SUPERVISOR}),
    "getScreening": frozenset({OPERATOR, SUPERVISOR, AUDITOR}),
    "listDeliveries": frozenset({OPERATOR, SUPERVISOR, AUDITOR}),
    "requeueDelivery": frozenset({OPERATOR, SUPERVISOR}),
    "getIncident": frozenset({OPERATOR, EXECUTOR, SUPERVISOR, AUDITOR}),
    "getComplaintIncident": frozenset({OPERATOR, EXECUTOR, SUPERVISOR, AUDITOR}),
    "listComplaints": frozenset({OPERATOR, EXECUTOR, SUPERVISOR, AUDITOR}),
    "getReactionStats": frozenset({OPERATOR, SUPERVISOR, AUDITOR}),
    "getVolumeStats": frozenset({OPERATOR, SUPERVISOR, AUDITOR}),
    "getCategoryStats": frozenset({OPERATOR, SUPERVISOR, AUDITOR}),
    "getOrganisationStats": frozenset({OPERATOR, SUPERVISOR, AUDITOR}),
    "getHealthDetails": frozenset({OPERATOR, SUPERVISOR, AUDITOR}),
    "getMetrics": frozenset({SUPERVISOR, AUDITOR}),
    # Open311's api_key is an API token of a partner's own role: it submits, and reads through
    # Open311 only what came through Open311.
    "createServiceRequest": frozenset({OPEN311}),
}

# Who sees a citizen's name, profile and contacts when reading a complaint: those who answer.
PERSONAL_DATA_ROLES = frozenset({OPERATOR, SUPERVISOR})

# Paths served without a token: the API's own documentation and the public health check.
UNAUTHENTICATED = ["^/schema", "^/health$"]

_UNAUTHORISED = {"WWW-Authenticate": 'Bearer realm="mcu"'}


async def principal_for(access: AccessService, token: str) -> Principal | None:
    # A token verified moments ago is answered here, without a trip to a worker thread.
    return access.remembered(token) or await sync_to_thread(access.authenticate, token)


def _authorization(scope: Any) -> str:
    # Read from the raw ASGI headers (lower-case names by the spec): building Litestar's
    # Headers for this one value cost more than checking the token.
    for name, value in scope["headers"]:
        if name == b"authorization":
            return value.decode("latin-1")
    return ""


def admit(principal: Principal, handler: BaseRouteHandler) -> None:
    """Raises 403 unless the roles matrix admits the principal's role; an operation missing
    from the matrix admits nobody."""
    operation = handler.operation_id
    admitted = ROLES.get(operation, frozenset()) if isinstance(operation, str) else frozenset()
    if principal.role not in admitted:
        raise PermissionDeniedException(f"the role {principal.role.value} may not call {operation}")


class BearerTokenAuthentication(AbstractAuthenticationMiddleware):
    """Who is calling (401) and whether their role may call this operation (403), for every
    route but the excluded ones, so no route can be added without a place in the matrix.
    (Judged here rather than in a guard: Litestar copies the handler for each guard call,
    which cost a tenth of a registration.)"""

    async def authenticate_request(self, connection: ASGIConnection) -> AuthenticationResult:
        scheme, _, token = _authorization(connection.scope).partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise NotAuthorizedException("send 'Authorization: Bearer <token>'", headers=_UNAUTHORISED)
        principal = await principal_for(connection.app.state.services.access, token.strip())
        if principal is None:
            raise NotAuthorizedException("the token is unknown or revoked", headers=_UNAUTHORISED)
        admit(principal, connection.route_handler)
        return AuthenticationResult(user=principal, auth=None)


async def role_guard(
    connection: ASGIConnection[BaseRouteHandler, Principal, None, None], handler: BaseRouteHandler
) -> None:
    """For routes that authenticate otherwise (Open311's api_key)."""
    admit(connection.user, handler)
