"""Who is calling and the roles matrix: who may call which operation. The API knows callers
by their bearer tokens only; the console's pages (handlers with ``opt={"console": True}``) by
a session cookie, so a cookie never authenticates an API call and the API needs no CSRF."""

from typing import Any

from litestar.concurrency import sync_to_thread
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers import BaseRouteHandler
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult
from litestar.middleware._utils import should_bypass_middleware
from litestar.types import Receive, Scope, Send

from application.access import AccessService, Principal
from domain.access import PEOPLE, Role
from interfaces.web.console import console_principal

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
    # The console's pages: the same roles as the API operations they show.
    "consoleStatistics": frozenset({OPERATOR, SUPERVISOR, AUDITOR}),
    "consoleStatisticsExport": frozenset({OPERATOR, SUPERVISOR, AUDITOR}),
    "consoleDeliveries": frozenset({OPERATOR, SUPERVISOR, AUDITOR}),
    "consoleRequeueDelivery": frozenset({OPERATOR, SUPERVISOR}),
    "consoleAudit": frozenset({SUPERVISOR, AUDITOR}),
    "getMetrics": frozenset({SUPERVISOR, AUDITOR}),
    # Open311's api_key is an API token of a partner's own role: it submits, and reads through
    # Open311 only what came through Open311.
    "createServiceRequest": frozenset({OPEN311}),
    # The console's pages (interfaces/web/); its forms are the operations above, posted by a browser.
    "consoleQueue": frozenset({OPERATOR, EXECUTOR, SUPERVISOR, AUDITOR}),
    "consoleComplaint": frozenset({OPERATOR, EXECUTOR, SUPERVISOR, AUDITOR}),
    # The console: a person logged in sees their own account and ends their own session.
    "getOwnAccount": PEOPLE,
    "logout": PEOPLE,
    # The head of shift manages the people and their tokens.
    "listAccounts": frozenset({SUPERVISOR}),
    "openAccount": frozenset({SUPERVISOR}),
    "issueAccountCode": frozenset({SUPERVISOR}),
    "deactivateAccount": frozenset({SUPERVISOR}),
    "issueToken": frozenset({SUPERVISOR}),
    "revokeToken": frozenset({SUPERVISOR}),
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


def admits(role: Role, operation: object) -> bool:
    """Whether the roles matrix admits the role to the operation; one missing from the matrix
    admits nobody. What every route is judged by, and what the console's navigation shows."""
    return isinstance(operation, str) and role in ROLES.get(operation, frozenset())


def admit(principal: Principal, handler: BaseRouteHandler) -> None:
    """Raises 403 unless the roles matrix admits the principal's role."""
    operation = handler.operation_id
    if not admits(principal.role, operation):
        raise PermissionDeniedException(f"the role {principal.role.value} may not call {operation}")


class Authentication(AbstractAuthenticationMiddleware):
    """Who is calling (401, or the login page for the console) and whether their role may call
    this operation (403), for every route but the excluded ones, so no route can be added
    without a place in the matrix. (Judged here rather than in a guard: Litestar copies the
    handler for each guard call, which cost a tenth of a registration.)"""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # As Litestar's, but the connection can read the body: a console form's CSRF token is in it.
        if not should_bypass_middleware(
            exclude_http_methods=self.exclude_http_methods,
            exclude_opt_key=self.exclude_opt_key,
            exclude_path_pattern=self.exclude,
            scope=scope,
            scopes=self.scopes,
        ):
            result = await self.authenticate_request(ASGIConnection(scope, receive))
            scope["user"] = result.user
            scope["auth"] = result.auth
        await self.app(scope, receive, send)

    async def authenticate_request(self, connection: ASGIConnection) -> AuthenticationResult:
        if connection.route_handler.opt.get("console"):
            principal = await console_principal(connection)
            # Known before judged, so a console page refusing the person still shows their name and sections.
            connection.scope["user"] = principal
        else:
            principal = await _bearer(connection)
        admit(principal, connection.route_handler)
        return AuthenticationResult(user=principal, auth=None)


async def _bearer(connection: ASGIConnection) -> Principal:
    scheme, _, token = _authorization(connection.scope).partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NotAuthorizedException("send 'Authorization: Bearer <token>'", headers=_UNAUTHORISED)
    principal = await principal_for(connection.app.state.services.access, token.strip())
    if principal is None:
        raise NotAuthorizedException("the token is unknown or revoked", headers=_UNAUTHORISED)
    usage = connection.app.state.console.token_use
    if principal.token_id is not None and usage.due(principal.token_id):
        await usage.record(principal.token_id)
    return principal


async def role_guard(
    connection: ASGIConnection[BaseRouteHandler, Principal, None, None], handler: BaseRouteHandler
) -> None:
    """For routes that authenticate otherwise (Open311's api_key)."""
    admit(connection.user, handler)
