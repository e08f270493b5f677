"""`/login` and `/logout`: a person logs in with their password, or with the one-time code
the head of shift gave them, which only lets them set a password first."""

import secrets
from datetime import datetime
from typing import Annotated, Any
from uuid import UUID
from zoneinfo import ZoneInfo

import msgspec
from litestar import Request, Response, get, post
from litestar.concurrency import sync_to_thread
from litestar.datastructures import Cookie
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromQuery
from litestar.response import Redirect, Template
from litestar.utils.scope.state import ScopeState

from application.access import Principal
from application.accounts import MIN_PASSWORD_LENGTH, AccountError, CodeExpired, Verdict
from domain.accounts import normal_login
from interfaces.web.console import CSRF_FIELD, Console, same_secret
from interfaces.web.names import ROLES
from interfaces.web.sessions import COOKIE

# The login form's own CSRF token, before there is a session to hold one: the same random value
# in a cookie and in the form (double submit), so another site cannot log a browser in.
LOGIN_CSRF_COOKIE = "mcu_login_csrf"
_MOSCOW = ZoneInfo("Europe/Moscow")
_FORM = Body(media_type=RequestEncodingType.URL_ENCODED)
CODE_EXPIRED = "Срок одноразового кода истёк. Попросите старшего смены выдать новый код и задайте пароль с ним."
_PUBLIC = {"exclude_from_auth": True}


class LoginForm(msgspec.Struct):
    login: str = ""
    password: str = ""
    next: str = "/"
    _csrf_token: str = msgspec.field(default="", name=CSRF_FIELD)


class PasswordForm(msgspec.Struct):
    login: str = ""
    code: str = ""
    password: str = ""
    again: str = ""
    next: str = "/"
    _csrf_token: str = msgspec.field(default="", name=CSRF_FIELD)


def _local(path: str) -> str:
    """Only a path of this site: ``next`` must not send a person elsewhere after logging in."""
    return path if path.startswith("/") and not path.startswith("//") and "\\" not in path else "/"


def _console(request: Request) -> Console:
    return request.app.state.console


def _page(request: Request, template: str, status: int = 200, **context: Any) -> Template:
    """A login page with its form's CSRF token, the one in the browser's cookie or a new one."""
    token = request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(32)
    ScopeState.from_scope(request.scope).csrf_token = token
    cookie = Cookie(
        key=LOGIN_CSRF_COOKIE,
        value=token,
        path="/login",
        httponly=True,
        samesite="strict",
        secure=_console(request).secure_cookies,
    )
    return Template(template, context=context, status_code=status, cookies=[cookie])


def _form_checked(request: Request, given: str) -> bool:
    expected = request.cookies.get(LOGIN_CSRF_COOKIE)
    return expected is not None and same_secret(given, expected)


@get("/login", opt=_PUBLIC, include_in_schema=False, sync_to_thread=False)
def login_page(request: Request, next: FromQuery[str] = "/") -> Template:
    return _page(request, "login.html", next=_local(next))


async def _held_back(request: Request, login: str) -> datetime | None:
    return await _console(request).sessions.next_try(normal_login(login))


def _wait_message(until: datetime) -> str:
    return f"Слишком много неудачных попыток. Попробуйте снова после {until.astimezone(_MOSCOW):%H:%M:%S} (МСК)."


async def _verified(request: Request, login: str, secret: str) -> Verdict | str:
    """The verdict, or the words saying why the try was not even judged or failed."""
    until = await _held_back(request, login)
    if until is not None:
        return _wait_message(until)
    accounts = request.app.state.services.accounts
    verdict: Verdict = await sync_to_thread(accounts.verify, login, secret)
    sessions = _console(request).sessions
    if verdict.account is None:
        # An expired code is counted as a failure too: it lets nobody in.
        await sessions.failed(normal_login(login))
        return CODE_EXPIRED if verdict.code_expired else "Неверный логин или пароль."
    await sessions.succeeded(normal_login(login))
    return verdict


async def _logged_in(request: Request, account_id: UUID, next: str) -> Response:
    console = _console(request)
    earlier = request.cookies.get(COOKIE)
    if earlier:
        await console.sessions.end(earlier)  # a new key at each login: a planted one never becomes a session
    session = await console.sessions.start(account_id)
    cookie = Cookie(
        key=COOKIE,
        value=session.key,
        path="/",
        httponly=True,
        samesite="lax",
        secure=console.secure_cookies,
    )
    return Redirect(_local(next), status_code=303, cookies=[cookie])


@post("/login", opt=_PUBLIC, include_in_schema=False, status_code=200)
async def log_in(request: Request, data: Annotated[LoginForm, _FORM]) -> Response:
    if not _form_checked(request, data._csrf_token):
        return _page(request, "login.html", 403, next=_local(data.next), error="Форма устарела, войдите ещё раз.")
    verdict = await _verified(request, data.login, data.password)
    if isinstance(verdict, str):
        return _page(request, "login.html", 401, next=_local(data.next), login=data.login, error=verdict)
    if verdict.needs_password:
        return _page(
            request,
            "password.html",
            next=_local(data.next),
            login=data.login,
            code=data.password,
            minimum=MIN_PASSWORD_LENGTH,
        )
    return await _logged_in(request, verdict.account.id, data.next)


@post("/login/password", opt=_PUBLIC, include_in_schema=False, status_code=200)
async def set_password(request: Request, data: Annotated[PasswordForm, _FORM]) -> Response:
    again = {"next": _local(data.next), "login": data.login, "code": data.code, "minimum": MIN_PASSWORD_LENGTH}
    if not _form_checked(request, data._csrf_token):
        return _page(request, "login.html", 403, next=_local(data.next), error="Форма устарела, войдите ещё раз.")
    if data.password != data.again:
        return _page(request, "password.html", 400, error="Пароли не совпадают.", **again)
    if len(data.password) < MIN_PASSWORD_LENGTH:
        return _page(
            request, "password.html", 400, error=f"Пароль — не короче {MIN_PASSWORD_LENGTH} символов.", **again
        )
    until = await _held_back(request, data.login)
    if until is not None:
        return _page(request, "login.html", 401, next=_local(data.next), error=_wait_message(until))
    accounts = request.app.state.services.accounts
    try:
        account = await sync_to_thread(accounts.set_password, data.login, code=data.code, password=data.password)
    except AccountError as refused:
        # Counted as a failed login; whether the login exists is not said.
        await _console(request).sessions.failed(normal_login(data.login))
        error = CODE_EXPIRED if isinstance(refused, CodeExpired) else "Одноразовый код неверен или уже использован."
        return _page(request, "login.html", 401, next=_local(data.next), error=error)
    return await _logged_in(request, account.id, data.next)


@post("/logout", opt={"console": True}, operation_id="logout", include_in_schema=False, status_code=303)
async def log_out(request: Request[Principal, None, Any]) -> Response:
    key = request.cookies.get(COOKIE)
    if key:
        await _console(request).sessions.end(key)
    response = Redirect("/login", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response


@get("/account", opt={"console": True}, operation_id="getOwnAccount", include_in_schema=False, sync_to_thread=False)
def own_account(request: Request[Principal, None, Any]) -> Template:
    """Who is logged in, with which role and organisation: what the person's pages show them."""
    return Template("account.html", context={"person": request.user, "role": ROLES[request.user.role]})


LOGIN_HANDLERS = [login_page, log_in, set_password, log_out, own_account]
