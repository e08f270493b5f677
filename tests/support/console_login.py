"""A person logged in to the console through its login form, as headers a test sends with
each request to a console page: the session's cookie, and its CSRF token as htmx sends it."""

import hashlib
import re

from litestar.testing import TestClient

from application.accounts import AccountError
from interfaces.bootstrap import Services
from interfaces.web.console import CSRF_HEADER
from interfaces.web.sessions import COOKIE

PASSWORD = "пароль консоли для тестов"


def csrf_of(page: str) -> str:
    """The CSRF token a console page's forms carry."""
    found = re.search(r'name="_csrf_token" value="([^"]+)"', page)
    assert found, page
    return found.group(1)


def logged_in(client: TestClient, services: Services, role: str, *, organisation: str | None = None) -> dict[str, str]:
    # A login is one word: an executor's names its organisation by a digest.
    login = f"console-{role}" + (f"-{hashlib.sha256(organisation.encode()).hexdigest()[:8]}" if organisation else "")
    try:
        services.accounts.by_login(login)
    except AccountError:
        opened = services.accounts.open(login=login, name=f"Тест {role}", role=role, organisation=organisation)
        services.accounts.set_password(login, code=opened.code, password=PASSWORD)
    form = csrf_of(client.get("/login").text)
    answer = client.post(
        "/login",
        data={"login": login, "password": PASSWORD, "next": "/account", "_csrf_token": form},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    session = answer.cookies[COOKIE]
    # The client's own jar would carry this session to every later request, the API's too.
    client.cookies.clear()
    cookie = {"Cookie": f"{COOKIE}={session}"}
    page = client.get("/account", headers=cookie)
    return {**cookie, CSRF_HEADER: csrf_of(page.text)}
