"""`mcu token issue`, `list` and `revoke`: the API's bearer tokens, each an account's."""

import asyncio
import sys
from datetime import datetime
from uuid import UUID

import click

from domain.access import Role
from domain.complaint import Channel
from domain.errors import DomainError
from interfaces.cli.common import open_services, shown
from interfaces.web.sessions import TokenUse, open_store


@click.group()
def token() -> None:
    """API tokens."""


@token.command("issue")
@click.option("--account", "login", required=True, help="the login of the account the token belongs to")
@click.option(
    "--role",
    type=click.Choice([r.value for r in Role]),
    help="the account's own role (the default) or a machine's: intake, open311",
)
@click.option("--name", required=True, help="what holds the token (an adapter, a partner's system)")
@click.option(
    "--channel",
    "channels",
    multiple=True,
    type=click.Choice([c.value for c in Channel]),
    help="for an intake token: a channel it brings posts from (repeat for more)",
)
def issue_token(login: str, role: str | None, name: str, channels: tuple[str, ...]) -> None:
    """Issue a new token and print it once; only its hash is stored."""
    with open_services() as services:
        try:
            issued = services.access.issue_for(
                services.accounts.by_login(login), name=name, role=role, channels=channels
            )
        except DomainError as error:
            raise click.ClickException(str(error)) from None
    click.echo(issued)


@token.command("list")
def list_tokens() -> None:
    """Every token: id, state, role, account, channels, last use, name."""
    with open_services() as services:
        logins = {found.id: found.login for found in services.accounts.accounts()}
        listed = list(services.access.tokens())
        use = TokenUse(open_store(services.settings), services.clock)
        last_uses = asyncio.run(_last_uses(use, [t.id for t in listed]))
    for found, last in zip(listed, last_uses, strict=True):
        state = "revoked" if found.revoked else "active"
        owner = logins.get(found.account_id, "-") if found.account_id else "-"
        channels = ",".join(sorted(found.channels)) or "-"
        used = shown(last) if last else "never"
        click.echo(f"{found.id}  {state:<7} {found.role.value:<10} {owner:<16} {channels:<16} {used:<25} {found.name}")


async def _last_uses(use: TokenUse, token_ids: list[UUID]) -> list[datetime | None]:
    async with use.store:
        return [await use.last(token_id) for token_id in token_ids]


@token.command("revoke")
@click.argument("token_value", metavar="TOKEN_OR_ID", required=False)
def revoke_token(token_value: str | None) -> None:
    """Revoke a token by its id (as `mcu token list` shows) or by itself (the argument or stdin)."""
    token_value = (token_value or sys.stdin.readline()).strip()
    if not token_value:
        raise click.ClickException("give the token to revoke, or its id")
    with open_services() as services:
        try:
            token_id = UUID(token_value)
        except ValueError:
            if not services.access.revoke_token(token_value):
                # The token itself is a secret: it is not repeated in the answer.
                raise click.ClickException("no token is the one given") from None
        else:
            if not services.access.revoke_by_id(token_id):
                raise click.ClickException(f"no token has the id {token_id}")
    click.echo("revoked", err=True)
