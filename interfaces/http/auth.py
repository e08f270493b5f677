"""Bearer tokens and the roles matrix: who may call which operation."""

from litestar.concurrency import sync_to_thread
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers import BaseRouteHandler
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult

from application.access import AccessService, Principal
from domain.access import Role

OPERATOR, EXECUTOR, SUPERVISOR, AUDITOR, INTAKE = (
    Role.OPERATOR,
    Role.EXECUTOR,
    Role.SUPERVISOR,
    Role.AUDITOR,
    Role.INTAKE,
)

# operation id → roles admitted. The README's roles table is checked against this by a test.
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
    # Open311's api_key is an API token too; the roles that may register may submit requests.
    "createServiceRequest": frozenset({OPERATOR, SUPERVISOR, INTAKE}),
}

# Who sees a citizen's name, profile and contacts when reading a complaint: those who answer.
PERSONAL_DATA_ROLES = frozenset({OPERATOR, SUPERVISOR})

_UNAUTHORISED = {"WWW-Authenticate": 'Bearer realm="mcu"'}


async def principal_for(access: AccessService, token: str) -> Principal | None:
    # A token verified moments ago is answered here, without a trip to a worker thread.
    return access.remembered(token) or await sync_to_thread(access.authenticate, token)


class BearerTokenAuthentication(AbstractAuthenticationMiddleware):
    async def authenticate_request(self, connection: ASGIConnection) -> AuthenticationResult:
        scheme, _, token = connection.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise NotAuthorizedException("send 'Authorization: Bearer <token>'", headers=_UNAUTHORISED)
        principal = await principal_for(connection.app.state.services.access, token.strip())
        if principal is None:
            raise NotAuthorizedException("the token is unknown or revoked", headers=_UNAUTHORISED)
        return AuthenticationResult(user=principal, auth=None)


def role_guard(connection: ASGIConnection[BaseRouteHandler, Principal, None, None], handler: BaseRouteHandler) -> None:
    operation = handler.operation_id
    admitted = ROLES[operation] if isinstance(operation, str) else frozenset()
    if connection.user.role not in admitted:
        raise PermissionDeniedException(f"the role {connection.user.role.value} may not call {operation}")
