"""The GeoReport v2 endpoints. Each path exists as ``.json`` and ``.xml``; handlers only read
parameters, call the Open311 service and render its answer in the asked format."""

from datetime import UTC, datetime
from typing import Any, cast

from litestar import Request, Response, get, post
from litestar.concurrency import sync_to_thread
from litestar.connection import ASGIConnection
from litestar.datastructures import FormMultiDict
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.exceptions import ClientException, PermissionDeniedException
from litestar.handlers import BaseRouteHandler
from litestar.params import FromPath

from application.access import Principal
from application.open311.catalogue import Attribute, Service
from application.open311.service import UPDATES_PER_PAGE, RequestQuery
from interfaces.http.auth import principal_for, role_guard
from interfaces.http.open311.params import Params, new_request
from interfaces.http.open311.render import Format, format_of, render, split_name
from interfaces.services import Services

ROOT = "/open311/v2"
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# Requests are registered at once, so each service answers with its id (GeoReport's "realtime").
SERVICE_TYPE = "realtime"


def _both(path: str) -> list[str]:
    return [f"{path}.{fmt}" for fmt in Format]


async def api_key_guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Authenticates the form's ``api_key`` as an API token, for the roles matrix to judge."""
    request = cast(Request[Any, Any, Any], connection)
    content_type, _options = request.content_type
    if content_type not in (RequestEncodingType.URL_ENCODED, RequestEncodingType.MULTI_PART):
        raise ClientException("send the parameters form-encoded (application/x-www-form-urlencoded)")
    key = Params(await request.form()).text("api_key")
    if key is None:
        raise PermissionDeniedException("api_key was not provided")
    principal = await principal_for(connection.app.state.services.access, key)
    if principal is None:
        raise PermissionDeniedException("api_key is invalid or revoked")
    connection.scope["user"] = principal


def _jurisdiction(services: Services, params: Params) -> None:
    services.open311.catalogue.check_jurisdiction(params.text("jurisdiction_id"))


@get(_both("/discovery"), sync_to_thread=False)
def discovery(request: Request[Any, Any, Any], services: NamedDependency[Services]) -> Response[bytes]:
    catalogue = services.open311.catalogue
    _jurisdiction(services, Params(request.query_params))
    return render(
        format_of(request),
        "discovery",
        {
            "changeset": catalogue.changeset,
            "contact": catalogue.contact,
            "key_service": catalogue.key_service,
            "endpoints": [
                {
                    "specification": SPECIFICATION,
                    # Configured: the Host header is the client's to choose.
                    "url": f"{services.settings.public_url.rstrip('/')}{ROOT}",
                    "changeset": catalogue.changeset,
                    "type": "production",
                    "formats": [fmt.mime for fmt in (Format.XML, Format.JSON)],
                }
            ],
        },
    )


@get(_both("/services"), sync_to_thread=False)
def service_list(request: Request[Any, Any, Any], services: NamedDependency[Services]) -> Response[bytes]:
    _jurisdiction(services, Params(request.query_params))
    return render(format_of(request), "services", [_service(s) for s in services.open311.catalogue.services])


@get("/services/{name:str}", sync_to_thread=False)
def service_definition(
    name: FromPath[str], request: Request[Any, Any, Any], services: NamedDependency[Services]
) -> Response[bytes]:
    _jurisdiction(services, Params(request.query_params))
    service = services.open311.catalogue.service(split_name(name))
    attributes = sorted(service.attributes, key=lambda attribute: attribute.order)
    return render(
        format_of(request),
        "service_definition",
        {
            "service_code": service.code,
            "attributes": [_attribute(attribute) for attribute in attributes],
        },
    )


@post(_both("/requests"), operation_id="createServiceRequest", guards=[api_key_guard, role_guard], status_code=201)
async def create_request(request: Request[Principal, Any, Any], services: NamedDependency[Services]) -> Response[bytes]:
    form: FormMultiDict = await request.form()
    params = Params(form)
    _jurisdiction(services, params)
    submission = await sync_to_thread(services.open311.submit, new_request(params), actor=request.user.actor)
    return render(format_of(request), "service_requests", [submission], status=201)


# Handlers serving both paths are async and hand the store's work to a thread themselves:
# Litestar 2.25 registers a handler once per path, and a sync one run in a thread comes out of
# the second registration returning an unawaited coroutine.
@get(_both("/requests"))
async def request_list(request: Request[Any, Any, Any], services: NamedDependency[Services]) -> Response[bytes]:
    params = Params(request.query_params)
    _jurisdiction(services, params)
    ids = params.comma_list("service_request_id")
    query = RequestQuery(
        service_codes=params.comma_list("service_code"),
        statuses=params.comma_list("status"),
        start=params.moment("start_date"),
        end=params.moment("end_date"),
        page=params.page(),
    )
    params.done()
    # The specification: a list of ids overrides every other parameter.
    if ids:
        found = await sync_to_thread(services.open311.requests_by_id, ids)
    else:
        found = await sync_to_thread(services.open311.requests, query)
    return render(format_of(request), "service_requests", found)


@get("/requests/{name:str}", sync_to_thread=True)
def request_one(
    name: FromPath[str], request: Request[Any, Any, Any], services: NamedDependency[Services]
) -> Response[bytes]:
    _jurisdiction(services, Params(request.query_params))
    return render(format_of(request), "service_requests", [services.open311.request(split_name(name))])


@get("/tokens/{name:str}", sync_to_thread=True)
def token(name: FromPath[str], request: Request[Any, Any, Any], services: NamedDependency[Services]) -> Response[bytes]:
    _jurisdiction(services, Params(request.query_params))
    value = split_name(name)
    return render(
        format_of(request),
        "service_requests",
        [{"service_request_id": services.open311.service_request_id(value), "token": value}],
    )


@get(_both("/servicerequestupdates"))
async def request_updates(request: Request[Any, Any, Any], services: NamedDependency[Services]) -> Response[bytes]:
    params = Params(request.query_params)
    _jurisdiction(services, params)
    start, end = params.moment("start_date"), params.moment("end_date")
    page = params.page(most=UPDATES_PER_PAGE)
    params.done()
    fmt = format_of(request)

    def answer() -> bytes:
        return cast(bytes, render(fmt, "service_request_updates", services.open311.updates(start, end, page)).content)

    # Kept rendered: writing the answer out costs more than finding it. The same moments
    # however written are one question; an open end stays open ("now" when answered).
    question = ("updates", fmt, _utc(start), _utc(end), page.number, page.size)
    kept = await sync_to_thread(services.open311.answers.get, question, answer)
    return Response(content=kept, media_type=fmt.mime)


def _utc(moment: datetime | None) -> datetime | None:
    return moment.astimezone(UTC) if moment is not None else None


def _service(service: Service) -> dict[str, Any]:
    return {
        "service_code": service.code,
        "service_name": service.name,
        "description": service.description,
        "metadata": service.metadata,
        "type": SERVICE_TYPE,
        "keywords": ", ".join(service.keywords),
        "group": service.group,
    }


def _attribute(attribute: Attribute) -> dict[str, Any]:
    described = {
        "variable": attribute.variable,
        "code": attribute.code,
        "datatype": attribute.datatype.value,
        "required": attribute.required,
        "datatype_description": attribute.datatype_description,
        "order": attribute.order,
        "description": attribute.description,
    }
    if attribute.values:
        described["values"] = [{"key": value.key, "name": value.name} for value in attribute.values]
    return described


route_handlers = [
    discovery,
    service_list,
    service_definition,
    create_request,
    request_list,
    request_one,
    token,
    request_updates,
]
