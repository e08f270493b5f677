"""The console's navigation: a link to each section the person's role may open, judged by the
same roles matrix as the routes themselves, at the path the app serves the section's page."""

from dataclasses import dataclass
from typing import Any

from jinja2 import pass_context
from litestar import Litestar
from litestar.routes import HTTPRoute

from application.access import Principal
from interfaces.http.auth import admits
from interfaces.web.names import SECTIONS


@dataclass(frozen=True, slots=True)
class Section:
    operation: str
    label: str
    path: str


def sections(app: Litestar) -> list[Section]:
    """Every section of the console, where the app serves its page (GET)."""
    paths = {
        handler.operation_id: route.path
        for route in app.routes
        if isinstance(route, HTTPRoute)
        for handler in route.route_handlers
        if handler.operation_id in SECTIONS and "GET" in handler.http_methods
    }
    missing = set(SECTIONS) - set(paths)
    if missing:
        raise LookupError(f"the console serves no page for the sections {sorted(missing)}")
    return [Section(operation, label, paths[operation]) for operation, label in SECTIONS.items()]


@pass_context
def navigation(context: Any) -> list[Section]:
    """The sections the person viewing the page may open; none before they log in."""
    request = context["request"]
    person = request.scope.get("user")
    if not isinstance(person, Principal):
        return []
    state = request.app.state
    if "sections" not in state:
        state.sections = sections(request.app)
    return [section for section in state.sections if admits(person.role, section.operation)]
