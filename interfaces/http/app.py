"""The Litestar application factory."""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from operator import attrgetter
from typing import Any

from litestar import Litestar, Request, Response
from litestar.datastructures import State
from litestar.di import Provide
from litestar.exceptions import HTTPException, PermissionDeniedException
from litestar.middleware import DefineMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.openapi.spec import Components, SecurityScheme

from interfaces import heap
from interfaces.bootstrap import bootstrap, embedded_projections
from interfaces.channels import Channels
from interfaces.http.audit import AuditController
from interfaces.http.auth import UNAUTHENTICATED, Authentication
from interfaces.http.channels import (
    DeliveryController,
    IncidentController,
    ScreeningController,
)
from interfaces.http.citizens import CitizenController
from interfaces.http.city_terms import CityTermsSchema
from interfaces.http.complaints import COMMAND_HANDLERS, ComplaintController
from interfaces.http.documented import DocumentedRefusals
from interfaces.http.health import Probe, health, health_details
from interfaces.http.hooks import HookController
from interfaces.http.json_depth import JsonDepthGuard
from interfaces.http.metrics import REQUESTS, StoreFigures, metrics, scrape_registry
from interfaces.http.open311 import Open311Controller
from interfaces.http.problems import exception_handlers
from interfaces.http.queries import StatisticsController
from interfaces.http.rate_limit import EdgeLimits, RateLimit
from interfaces.http.request_id import RequestIds, carry_request_id
from interfaces.services import Services
from interfaces.web.accounts import AccountsController, TokensController
from interfaces.web.audit import AuditPage
from interfaces.web.card import MOVE_HANDLERS, ComplaintCardController
from interfaces.web.console import Console, LoginRequired, refused_page, to_login
from interfaces.web.deliveries import DeliveriesPage
from interfaces.web.login import LOGIN_HANDLERS
from interfaces.web.queue import QueueController, queue_readings
from interfaces.web.statistics import StatisticsPage
from interfaces.web.templates import docs_renderer, static_files, template_config


def log_replies(channels: Channels) -> None:
    """The start-up log's line on the replies: which channels, and whether replies go out."""
    going, said = channels.replies_outlook()
    logging.getLogger("mcu.replies").log(logging.INFO if going else logging.WARNING, "replies: %s", said)


def _edge_limits(services: Services) -> EdgeLimits:
    given = services.settings
    return EdgeLimits.of(given.rate_limit_per_minute, given.rate_limit_hooks_per_minute, given.rate_limit_burst)


def _service(path: str) -> Provide:
    """The one service at that path of the app's services (``channels.replies``), for the
    handlers that name it as a parameter: none is handed the whole of Services."""
    take = attrgetter(path)

    def provide(state: State) -> Any:
        return take(state.services)

    return Provide(provide, sync_to_thread=False, use_cache=True)


def _service_dependencies() -> dict[str, Provide]:
    """Made anew for each app: a Provide keeps the value it gave first.

    No name here may be a handler's parameter too: Litestar would inject the service in place
    of a query parameter of that name (so no "clock": the queue filters by one)."""
    return {
        "complaints": _service("complaints"),
        "read_models": _service("read_models"),
        "history": _service("history"),
        "personal_data": _service("personal_data"),
        "tamper": _service("tamper"),
        "channels": _service("channels"),
        "intake_records": _service("channels.records"),
        "replies": _service("channels.replies"),
        "open311": _service("open311"),
        "settings": _service("settings"),
        "terms": _service("terms"),
    }


def _refused(request: Request, error: PermissionDeniedException) -> Response:
    """A refusal on a console page is a page in Russian; the API's stays problem+json."""
    if request.route_handler.opt.get("console"):
        return refused_page(request, error)
    return exception_handlers[HTTPException](request, error)


def create_app(services: Services | None = None) -> Litestar:
    """Builds the HTTP app; given no services, it bootstraps (and later closes) its own."""
    owned = services is None
    built = services or bootstrap()

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        # Embedded, the views follow the store in this process; in production `mcu project` does.
        projections = embedded_projections(built)
        if built.settings.embedded_projections:
            projections.start()
        if built.channels.embeds_replies:
            built.channels.start_replies()
        log_replies(built.channels)
        # Posts the webhooks recorded are taken by the process that received them.
        built.channels.start_intake()
        heap.settle()
        try:
            async with app.state.console.store:
                yield
        finally:
            projections.stop()
            built.channels.stop_replies()
            built.channels.stop_intake()
            if owned:
                built.close()

    def provide_health_probe(state: State) -> Probe:
        return state.health_probe

    return Litestar(
        route_handlers=[
            health,
            health_details,
            metrics,
            ComplaintController,
            *COMMAND_HANDLERS,
            StatisticsController,
            AuditController,
            CitizenController,
            HookController,
            ScreeningController,
            DeliveryController,
            IncidentController,
            Open311Controller,
            QueueController,
            ComplaintCardController,
            *MOVE_HANDLERS,
            StatisticsPage,
            DeliveriesPage,
            AuditPage,
            static_files(),
            *LOGIN_HANDLERS,
            AccountsController,
            TokensController,
        ],
        lifespan=[lifespan],
        state=State(
            {
                "services": built,
                "health_probe": Probe(built),
                "console": Console.of(built),
                "queue_readings": queue_readings(),
                "metrics": scrape_registry(StoreFigures.of(built)),
            }
        ),
        dependencies={
            **_service_dependencies(),
            "health_probe": Provide(provide_health_probe, sync_to_thread=False, use_cache=True),
        },
        middleware=[
            RequestIds,
            # Outside the rate limit and the tokens, so their refusals are counted too.
            REQUESTS.middleware,
            DefineMiddleware(RateLimit, limits=_edge_limits(built), max_body_bytes=built.settings.max_body_bytes),
            DefineMiddleware(Authentication, exclude=UNAUTHENTICATED),
            JsonDepthGuard,
        ],
        exception_handlers={**exception_handlers, LoginRequired: to_login, PermissionDeniedException: _refused},
        before_send=[carry_request_id],
        template_config=template_config(),
        plugins=[DocumentedRefusals(), CityTermsSchema(built.terms)],
        request_max_body_size=built.settings.max_body_bytes,
        openapi_config=OpenAPIConfig(
            title="МЦУ complaints API",
            version="1.0.0",
            description="Complaints from social networks and Gosuslugi, routed, answered on time, auditable.",
            path="/schema",
            render_plugins=[docs_renderer()],
            components=Components(security_schemes={"BearerToken": SecurityScheme(type="http", scheme="bearer")}),
            security=[{"BearerToken": []}],
        ),
    )
