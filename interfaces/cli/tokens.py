"""`mcu token issue` and `mcu token revoke`: the API's bearer tokens."""

import sys

import click

from domain.access import Role
from domain.complaint import Channel
from domain.errors import DomainError
from interfaces.cli.common import open_services


@click.group()
def token() -> None:
    """API tokens."""


@token.command("issue")
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--name", required=True, help="who holds the token (a person or an adapter)")
@click.option(
    "--channel",
    "channels",
    multiple=True,
    type=click.Choice([c.value for c in Channel]),
    help="for an intake token: a channel it brings posts from (repeat for more)",
)
def issue_token(role: str, name: str, channels: tuple[str, ...]) -> None:
    """Issue a new token and print it once; only its hash is stored."""
    with open_services() as services:
        try:
            click.echo(services.access.issue_token(role=role, name=name, channels=channels))
        except DomainError as error:
            raise click.ClickException(str(error)) from None


@token.command("revoke")
@click.argument("token_value", metavar="TOKEN", required=False)
def revoke_token(token_value: str | None) -> None:
    """Revoke a token (given as the argument or on stdin)."""
    token_value = (token_value or sys.stdin.readline()).strip()
    if not token_value:
        raise click.ClickException("give the token to revoke")
    with open_services() as services:
        services.access.revoke_token(token_value)
    click.echo("revoked", err=True)
