"""The head of shift's page of people and tokens: open an account (its one-time code shown
once), give a new code, deactivate an account, issue a token (shown once) and revoke one."""

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID
from zoneinfo import ZoneInfo

import msgspec
from litestar import Controller, Request, get, post
from litestar.concurrency import sync_to_thread
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath
from litestar.response import Redirect, Template

from application.access import Principal
from application.accounts import Opened
from domain.access import MACHINES, Role
from domain.accounts import Account
from domain.complaint import Channel
from domain.errors import DomainError
from interfaces.services import Services
from interfaces.web.names import CHANNELS, ROLES

_MOSCOW = ZoneInfo("Europe/Moscow")
_FORM = Body(media_type=RequestEncodingType.URL_ENCODED)
_CONSOLE = {"console": True}


class NewAccount(msgspec.Struct):
    login: str = ""
    name: str = ""
    role: str = ""
    organisation: str = ""


class NewToken(msgspec.Struct):
    account: str = ""  # the login
    name: str = ""
    role: str = ""  # empty: the account's own
    # A form sends one ticked box as a value, several as a list.
    channel: str | list[str] = msgspec.field(default_factory=list)

    @property
    def channels(self) -> list[str]:
        return [self.channel] if isinstance(self.channel, str) else self.channel


def _services(request: Request) -> Services:
    return request.app.state.services


async def _page(request: Request, status: int = 200, **context: Any) -> Template:
    services = _services(request)
    accounts = await sync_to_thread(lambda: list(services.accounts.accounts()))
    tokens = await sync_to_thread(lambda: list(services.access.tokens()))
    logins = {account.id: account.login for account in accounts}
    use = request.app.state.console.token_use
    return Template(
        "accounts.html",
        status_code=status,
        context={
            "accounts": accounts,
            "tokens": [(token, logins.get(token.account_id, "—"), await use.last(token.id)) for token in tokens],
            "roles": ROLES,
            "person_roles": [Role.OPERATOR, Role.EXECUTOR, Role.SUPERVISOR, Role.AUDITOR],
            "machine_roles": sorted(MACHINES),
            "intake_channels": {c: n for c, n in CHANNELS.items() if c != Channel.OPEN311},
            "moscow": _MOSCOW,
            **context,
        },
    )


def _expiry(request: Request, account: Account) -> datetime | None:
    return _services(request).accounts.code_expires_at(account)


class AccountsController(Controller):
    path = "/accounts"
    opt = _CONSOLE
    include_in_schema = False

    @get("/", operation_id="listAccounts")
    async def list_accounts(self, request: Request[Principal, None, Any]) -> Template:
        return await _page(request)

    @post("/", operation_id="openAccount", status_code=200)
    async def open_account(
        self, request: Request[Principal, None, Any], data: Annotated[NewAccount, _FORM]
    ) -> Template:
        accounts = _services(request).accounts
        try:
            opened: Opened = await sync_to_thread(
                accounts.open,
                login=data.login,
                name=data.name,
                role=data.role,
                organisation=data.organisation or None,
            )
        except DomainError as error:
            return await _page(request, 422, error=str(error))
        account = opened.account
        return await _page(request, opened=account, code=opened.code, expires_at=_expiry(request, account))

    @post("/{login:str}/code", operation_id="issueAccountCode", status_code=200)
    async def new_code(self, request: Request[Principal, None, Any], login: FromPath[str]) -> Template:
        accounts = _services(request).accounts
        try:
            code = await sync_to_thread(accounts.new_code, login)
        except DomainError as error:
            return await _page(request, 422, error=str(error))
        account = await sync_to_thread(accounts.by_login, login)
        return await _page(request, opened=account, code=code, expires_at=_expiry(request, account))

    @post("/{login:str}/deactivation", operation_id="deactivateAccount", status_code=303)
    async def deactivate(self, request: Request[Principal, None, Any], login: FromPath[str]) -> Redirect:
        try:
            await sync_to_thread(_services(request).accounts.deactivate, login)
        except DomainError:
            pass  # an unknown login: the list shows there is none
        return Redirect("/accounts", status_code=303)


class TokensController(Controller):
    path = "/tokens"
    opt = _CONSOLE
    include_in_schema = False

    @post("/", operation_id="issueToken", status_code=200)
    async def issue(self, request: Request[Principal, None, Any], data: Annotated[NewToken, _FORM]) -> Template:
        services = _services(request)

        def issued() -> str:
            account = services.accounts.by_login(data.account)
            return services.access.issue_for(account, name=data.name, role=data.role or None, channels=data.channels)

        try:
            token = await sync_to_thread(issued)
        except DomainError as error:
            return await _page(request, 422, error=str(error))
        page = await _page(request, token=token, token_name=data.name.strip(), token_account=data.account)
        # The token is on this page alone: no cache and no back button may keep a copy of it.
        page.headers["Cache-Control"] = "no-store"
        return page

    @post("/{token_id:uuid}/revocation", operation_id="revokeToken", status_code=303, sync_to_thread=True)
    def revoke(self, request: Request[Principal, None, Any], token_id: FromPath[UUID]) -> Redirect:
        _services(request).access.revoke_by_id(token_id)
        return Redirect("/accounts", status_code=303)
