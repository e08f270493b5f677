"""A person in the console: their session, read from its cookie, made a Principal; and the
CSRF check of every form the console posts."""

import hmac
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import quote

from litestar import Request, Response
from litestar.concurrency import sync_to_thread
from litestar.connection import ASGIConnection
from litestar.exceptions import PermissionDeniedException
from litestar.response import Redirect, Template
from litestar.stores.base import Store
from litestar.utils.scope.state import ScopeState

from application.access import Principal
from interfaces.services import Services
from interfaces.web.sessions import COOKIE, Sessions, TokenUse, open_store

CSRF_FIELD = "_csrf_token"
CSRF_HEADER = "x-csrftoken"  # for htmx's posts, which send no form field of ours
_SAFE = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True, slots=True)
class Console:
    store: Store  # the sessions' and the tokens' last use, closed with the app
    sessions: Sessions
    token_use: TokenUse
    secure_cookies: bool

    @classmethod
    def of(cls, services: Services) -> "Console":
        settings = services.settings
        store = open_store(settings)
        return cls(
            store=store,
            sessions=Sessions(
                store,
                services.clock,
                idle=timedelta(hours=settings.session_idle_hours),
                throttle=settings.login_throttle(),
            ),
            token_use=TokenUse(store, services.clock),
            secure_cookies=settings.secure_cookies,
        )


class LoginRequired(Exception):
    """A browser without a live session: sent to the login page, and back afterwards."""

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.path = path


def to_login(_: Request, error: LoginRequired) -> Response:
    return Redirect(f"/login?next={quote(error.path, safe='/?=&')}", status_code=303)


class FormRefused(PermissionDeniedException):
    """A console form posted without this session's CSRF token: from another site, or a page
    older than the session (a login since)."""


def refused_page(request: Request, error: PermissionDeniedException) -> Response:
    """A console page or form the person may not use, said in words on a page of the console."""
    if isinstance(error, FormRefused):
        reason = (
            "Форма устарела или отправлена не со страницы консоли. "
            "Ваше действие не записано: обновите страницу и повторите."
        )
    else:
        reason = "Эта страница или это действие недоступны для вашей роли."
    return Template("refused.html", context={"reason": reason}, status_code=403)


def same_secret(given: str | None, expected: str) -> bool:
    return bool(given) and hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


async def console_principal(connection: ASGIConnection) -> Principal:
    console: Console = connection.app.state.console
    key = connection.cookies.get(COOKIE)
    session = await console.sessions.read(key) if key else None
    account = None
    if session is not None:
        account = await sync_to_thread(connection.app.state.services.accounts.get, session.account_id)
    path = connection.url.path + (f"?{connection.url.query}" if connection.url.query else "")
    if session is None or account is None:
        raise LoginRequired(path)
    if not account.active:
        # A deactivated account's sessions end at its next request, wherever it is open.
        await console.sessions.end(session.key)
        raise LoginRequired(path)
    if connection.scope["method"] not in _SAFE:
        given = connection.headers.get(CSRF_HEADER)
        if given is None:
            form = await Request(connection.scope, connection.receive).form()  # kept for the handler
            given = form.get(CSRF_FIELD)
        if not same_secret(given if isinstance(given, str) else None, session.csrf):
            raise FormRefused("the form's CSRF token is missing or wrong; reload the page")
    # What `{{ csrf_input }}` renders in every console form.
    ScopeState.from_scope(connection.scope).csrf_token = session.csrf
    return Principal.of(account)
