"""Debian's Chromium driven by Playwright, for the console's browser tests.

Playwright cannot download a browser here, so it launches the one `make test` installs with
apt. Without it (or without Playwright) the tests skip, unless MCU_REQUIRE_BROWSER=1 (CI) makes
that a failure, as MCU_REQUIRE_POSTGRES does for the database.
"""

import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.support.server import run_mcu

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

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
# What every person of the tests sets as their own password at their first login.
PASSWORD = "пароль смены для браузерных тестов"
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


@dataclass(frozen=True)
class Person:
    """One of the centre's people, as `mcu account add` opens their account."""

    login: str
    name: str
    role: str
    organisation: str | None = None


def log_in(page: "Page", base: str, login: str, code: str) -> None:
    """A first login, as a person makes it: the one-time code, then a password of their own."""
    from playwright.sync_api import expect

    page.goto(f"{base}/login")
    page.get_by_label("Логин").fill(login)
    page.get_by_label("Пароль или одноразовый код").fill(code)
    page.get_by_role("button", name="Войти").click()
    expect(page.get_by_role("heading", name="Задайте свой пароль")).to_be_visible()
    page.get_by_label("Новый пароль").fill(PASSWORD)
    page.get_by_label("Повторите пароль").fill(PASSWORD)
    page.get_by_role("button", name="Сохранить и войти").click()
    expect(page).not_to_have_url(re.compile(r"/login"))


@dataclass
class People:
    """The people of one `mcu serve`: each account opened by `mcu` in the server's data folder and
    logged in once in the browser; each later context of theirs carries that session's cookie."""

    base: str
    workdir: Path
    env: Mapping[str, str]
    browser: "Browser"
    _sessions: dict[str, Any] = field(default_factory=dict)

    def open_account(self, person: Person) -> str:
        """The account opened as the head of shift opens it: its one-time code."""
        held = ["--organisation", person.organisation] if person.organisation else []
        args = ["--login", person.login, "--name", person.name, "--role", person.role, *held]
        return run_mcu(self.workdir, self.env, "account", "add", *args)

    def deactivate(self, person: Person) -> None:
        run_mcu(self.workdir, self.env, "account", "deactivate", person.login)

    def context(self, person: Person, viewport: Mapping[str, int] = VIEWPORT) -> "BrowserContext":
        """A browser window of the person's, logged in; the first one logs in with a new account."""
        if person.login not in self._sessions:
            first = self.browser.new_context(viewport=VIEWPORT, locale="ru-RU")
            log_in(first.new_page(), self.base, person.login, self.open_account(person))
            self._sessions[person.login] = first.storage_state()
            first.close()
        return self.browser.new_context(viewport=viewport, locale="ru-RU", storage_state=self._sessions[person.login])
