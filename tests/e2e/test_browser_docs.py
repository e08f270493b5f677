"""The OpenAPI docs page on a closed network: every file it loads comes from the server itself."""

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Route

from adapters.config import Settings
from tests.support.browser import VIEWPORT, screenshot_path
from tests.support.server import environment, free_port, serving

pytestmark = pytest.mark.browser


def test_the_docs_page_renders_from_the_package_alone(chromium: Browser, tmp_path: Path) -> None:
    env = environment(Settings(store="sqlite", data_dir=tmp_path / "var"))
    with serving(tmp_path, env, free_port()) as (base, _):
        elsewhere: list[str] = []

        def closed_network(route: Route) -> None:
            if urlsplit(route.request.url).netloc == urlsplit(base).netloc:
                route.continue_()
            else:
                elsewhere.append(route.request.url)
                route.abort()

        page = chromium.new_page(viewport=VIEWPORT)
        page.route("**/*", closed_network)
        page.goto(f"{base}/schema")
        page.get_by_text("Register a complaint (idempotent").wait_for()
        page.screenshot(path=screenshot_path("docs"))
        page.close()

    assert elsewhere == []
