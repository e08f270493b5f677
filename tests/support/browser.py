"""Debian's Chromium driven by Playwright, for the console's browser tests.

Playwright cannot download a browser here, so it launches the one `make test` installs with
apt. Without it (or without Playwright) the tests skip, unless MCU_REQUIRE_BROWSER=1 (CI) makes
that a failure, as MCU_REQUIRE_POSTGRES does for the database.
"""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser

CHROMIUM = Path("/usr/bin/chromium")
# Headless, and nothing that reaches out: no updates, sync or background requests.
ARGUMENTS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# The console's smallest supported screen.
VIEWPORT = {"width": 1366, "height": 768}
# Where the tests leave a screenshot of each page they saw (ignored by git).
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def missing() -> str | None:
    if not CHROMIUM.exists():
        return f"no browser at {CHROMIUM} (make test installs Debian's chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (pip install -e '.[test]')"
    return None


def require() -> None:
    """Skips the test without a browser, or fails it where one is required."""
    problem = missing()
    if problem is not None:
        if os.environ.get("MCU_REQUIRE_BROWSER") == "1":
            pytest.fail(f"a browser is required: {problem}")
        pytest.skip(problem)


def screenshot_path(name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / f"{name}.png"


@contextmanager
def launched() -> Iterator["Browser"]:
    require()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGUMENTS)
        try:
            yield browser
        finally:
            browser.close()


def serving_environment(data_dir: Path) -> dict[str, str]:
    """`mcu serve` on SQLite, running this checkout's code (not whichever an editable install
    of the `mcu` script points at)."""
    root = Path(__file__).resolve().parents[2]
    return {**os.environ, "MCU_STORE": "sqlite", "MCU_DATA_DIR": str(data_dir), "PYTHONPATH": str(root)}
