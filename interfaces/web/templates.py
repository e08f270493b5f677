"""Where the console's templates and assets live, for the app factory to serve, and what every
template may use: the Russian names, Moscow time, and whether replies go out (the banner)."""

from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import pass_context
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.router import Router
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig

from application.projections.calendar import MOSCOW
from application.replies.heartbeat import NO_GATEWAY, ReplyStatus
from interfaces.web import names
from interfaces.web.clock import clock_text
from interfaces.web.names import russian, who
from interfaces.web.navigation import navigation

_HERE = Path(__file__).parent
STATIC = "/static"
# Fetched by scripts/vendor_assets.py from the npm registry, pinned, with their licences.
VENDOR = f"{STATIC}/vendor"


def moscow(moment: datetime | None) -> str:
    """A moment as the centre's staff read it: Moscow time."""
    return "—" if moment is None else moment.astimezone(MOSCOW).strftime("%d.%m.%Y %H:%M")


def why(reason: str | None) -> str:
    """Why a reply did not go, in Russian where it is ours; a network's own words as it gave them."""
    if reason is None:
        return "—"
    return "не настроен токен для ответов в этом канале" if reason.startswith(NO_GATEWAY) else reason


@pass_context
def replies_status(context: Any) -> ReplyStatus:
    """Read for the banner every console page shows (base.html); remembered a few seconds, so
    rendering a page rarely reads the store."""
    return context["request"].app.state.services.channels.reply_watch.status()


def _for_pages(engine: JinjaTemplateEngine) -> None:
    engine.engine.filters.update(ru=russian, moscow=moscow, who=who, iso=lambda moment: moment.isoformat())
    engine.engine.globals.update(
        clock_text=clock_text,
        names=names,
        moscow=moscow,
        why=why,
        replies_status=replies_status,
        no_gateway=NO_GATEWAY,
        navigation=navigation,
    )


def template_config() -> TemplateConfig[JinjaTemplateEngine]:
    return TemplateConfig(directory=_HERE / "templates", engine=JinjaTemplateEngine, engine_callback=_for_pages)


def static_files() -> Router:
    # Assets carry no personal data and are the same for everybody: no token is asked.
    return create_static_files_router(
        path=STATIC, directories=[_HERE / "static"], name="console_static", opt={"exclude_from_auth": True}
    )


def docs_renderer() -> SwaggerRenderPlugin:
    """The OpenAPI docs page from the package's own copy of Swagger UI, so it renders on a
    closed network; no favicon, as Litestar's default one is fetched from a CDN."""
    swagger = f"{VENDOR}/swagger-ui-dist"
    return SwaggerRenderPlugin(
        js_url=f"{swagger}/swagger-ui-bundle.js",
        css_url=f"{swagger}/swagger-ui.css",
        standalone_preset_js_url=f"{swagger}/swagger-ui-standalone-preset.js",
        path="/swagger",
        favicon="",
    )
