"""Where the console's templates and assets live, for the app factory to serve."""

from pathlib import Path

from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.router import Router
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig

_HERE = Path(__file__).parent


def template_config() -> TemplateConfig[JinjaTemplateEngine]:
    return TemplateConfig(directory=_HERE / "templates", engine=JinjaTemplateEngine)


def static_files() -> Router:
    # Assets carry no personal data and are the same for everybody: no token is asked.
    return create_static_files_router(
        path="/static", directories=[_HERE / "static"], name="console_static", opt={"exclude_from_auth": True}
    )
