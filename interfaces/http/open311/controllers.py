"""The GeoReport v2 endpoints. Each path exists as ``.json`` and ``.xml``; handlers only read
parameters, call the Open311 service and render its answer in the asked format."""

from datetime import UTC, datetime
from typing import Any, cast

from litestar import Controller, Request, Response, get, post
from litestar.concurrency import sync_to_thread
from litestar.connection import ASGIConnection
from litestar.datastructures import FormMultiDict
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.exceptions import ClientException, PermissionDeniedException
from litestar.handlers import BaseRouteHandler
from litestar.params import FromPath

from adapters.config import Settings
from application.access import Principal
from application.open311.catalogue import Attribute, Service
from application.open311.service import UPDATES_PER_PAGE, Open311, RequestQuery
from interfaces.http.auth import principal_for, role_guard
from interfaces.http.open311.errors import exception_handlers
from interfaces.http.open311.params import Params, new_request
from interfaces.http.open311.render import Format, format_of, render, split_name

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


def _jurisdiction(open311: Open311, params: Params) -> None:
    open311.catalogue.check_jurisdiction(params.text("jurisdiction_id"))


class Open311Controller(Controller):
    path = ROOT
    tags = ["open311"]
    exception_handlers = exception_handlers
    # Left out of the OpenAPI document: see the package's docstring.
    include_in_schema = False
    # Reading needs no key (the specification's GET calls take none); posting checks api_key.
    opt = {"exclude_from_auth": True}

    @get(_both("/discovery"), sync_to_thread=False)
    def discovery(
        self, request: Request[Any, Any, Any], open311: NamedDependency[Open311], settings: NamedDependency[Settings]
    ) -> Response[bytes]:
        catalogue = open311.catalogue
        _jurisdiction(open311, Params(request.query_params))
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
                        "url": f"{settings.public_url.rstrip('/')}{ROOT}",
                        "changeset": catalogue.changeset,
                        "type": "production",
                        "formats": [fmt.mime for fmt in (Format.XML, Format.JSON)],
                    }
                ],
            },
        )

    @get(_both("/services"), sync_to_thread=False)
    def service_list(self, request: Request[Any, Any, Any], open311: NamedDependency[Open311]) -> Response[bytes]:
        _jurisdiction(open311, Params(request.query_params))
        return render(format_of(request), "services", [_service(s) for s in open311.catalogue.services])

    @get("/services/{name:str}", sync_to_thread=False)
    def service_definition(
        self, name: FromPath[str], request: Request[Any, Any, Any], open311: NamedDependency[Open311]
    ) -> Response[bytes]:
        _jurisdiction(open311, Params(request.query_params))
        service = open311.catalogue.service(split_name(name))
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
    async def create_request(
        self, request: Request[Principal, Any, Any], open311: NamedDependency[Open311]
    ) -> Response[bytes]:
        form: FormMultiDict = await request.form()
        params = Params(form)
        _jurisdiction(open311, params)
        submission = await sync_to_thread(open311.submit, new_request(params), actor=request.user.actor)
        return render(format_of(request), "service_requests", [submission], status=201)

    # Handlers serving both paths are async and hand the store's work to a thread themselves:
    # Litestar 2.25 registers a handler once per path, and a sync one run in a thread comes out of
    # the second registration returning an unawaited coroutine.
    @get(_both("/requests"))
    async def request_list(self, request: Request[Any, Any, Any], open311: NamedDependency[Open311]) -> Response[bytes]:
        params = Params(request.query_params)
        _jurisdiction(open311, params)
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
            found = await sync_to_thread(open311.requests_by_id, ids)
        else:
            found = await sync_to_thread(open311.requests, query)
        return render(format_of(request), "service_requests", found)

    @get("/requests/{name:str}", sync_to_thread=True)
    def request_one(
        self, name: FromPath[str], request: Request[Any, Any, Any], open311: NamedDependency[Open311]
    ) -> Response[bytes]:
        _jurisdiction(open311, Params(request.query_params))
        return render(format_of(request), "service_requests", [open311.request(split_name(name))])

    @get("/tokens/{name:str}", sync_to_thread=True)
    def token(
        self, name: FromPath[str], request: Request[Any, Any, Any], open311: NamedDependency[Open311]
    ) -> Response[bytes]:
        _jurisdiction(open311, Params(request.query_params))
        value = split_name(name)
        return render(
            format_of(request),
            "service_requests",
            [{"service_request_id": open311.service_request_id(value), "token": value}],
        )

    @get(_both("/servicerequestupdates"))
    async def request_updates(
        self, request: Request[Any, Any, Any], open311: NamedDependency[Open311]
    ) -> Response[bytes]:
        params = Params(request.query_params)
        _jurisdiction(open311, params)
        start, end = params.moment("start_date"), params.moment("end_date")
        page = params.page(most=UPDATES_PER_PAGE)
        params.done()
        fmt = format_of(request)

        def answer() -> bytes:
            return cast(bytes, render(fmt, "service_request_updates", open311.updates(start, end, page)).content)

        # Kept rendered: writing the answer out costs more than finding it. The same moments
        # however written are one question; an open end stays open ("now" when answered).
        question = ("updates", fmt, _utc(start), _utc(end), page.number, page.size)
        kept = await sync_to_thread(open311.answers.get, question, answer)
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
