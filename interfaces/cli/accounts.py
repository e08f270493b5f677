"""`mcu account`: the centre's people. A one-time code is printed once, on stdout alone; the
person sets their own password with it at /login."""

from datetime import timedelta

import click

from domain.access import Role
from domain.errors import DomainError
from interfaces.cli.common import open_services

_ROLE = click.Choice([r.value for r in Role])


@click.group()
def account() -> None:
    """Staff accounts (and the accounts machines' tokens belong to)."""


def _refused(error: DomainError) -> click.ClickException:
    return click.ClickException(str(error))


def _valid_for(lifetime: timedelta) -> None:
    hours = lifetime / timedelta(hours=1)
    click.echo(
        f"the one-time code above sets the password at /login within {hours:g} h; it is not shown again", err=True
    )


@account.command("add")
@click.option("--login", required=True, help="one word, used to log in")
@click.option("--name", required=True, help="the person's name as the history shows it")
@click.option("--role", required=True, type=_ROLE)
@click.option("--organisation", help="an executor's organisation, as complaints are assigned to it")
def add(login: str, name: str, role: str, organisation: str | None) -> None:
    """Open an account and print its one-time code (a person's) once."""
    with open_services() as services:
        try:
            opened = services.accounts.open(login=login, name=name, role=role, organisation=organisation)
        except DomainError as error:
            raise _refused(error) from None
    click.echo(f"account {opened.account.login} opened", err=True)
    if opened.code is not None:
        click.echo(opened.code)
        _valid_for(services.accounts.code_lifetime)


@account.command("list")
def list_accounts() -> None:
    """Every account: login, role, organisation, state, name."""
    with open_services() as services:
        for found in services.accounts.accounts():
            state = "active" if found.active else "deactivated"
            if found.active and found.is_person and found.password_hash is None:
                state = "awaiting password"
            click.echo(
                f"{found.login:<20} {found.role.value:<10} {found.organisation or '-':<24} {state:<17} {found.name}"
            )


@account.command("change")
@click.argument("login")
@click.option("--role", required=True, type=_ROLE)
@click.option("--organisation", help="an executor's organisation")
def change(login: str, role: str, organisation: str | None) -> None:
    """Give an account another role or organisation."""
    with open_services() as services:
        try:
            services.accounts.reassign(login, role=role, organisation=organisation)
        except DomainError as error:
            raise _refused(error) from None
    click.echo("changed", err=True)


@account.command("code")
@click.argument("login")
def new_code(login: str) -> None:
    """Print a new one-time code (a forgotten password); the account's earlier code stops working."""
    with open_services() as services:
        try:
            click.echo(services.accounts.new_code(login))
        except DomainError as error:
            raise _refused(error) from None
    _valid_for(services.accounts.code_lifetime)


@account.command("deactivate")
@click.argument("login")
def deactivate(login: str) -> None:
    """Deactivate an account: its sessions end at their next request, its tokens within seconds."""
    with open_services() as services:
        try:
            services.accounts.deactivate(login)
        except DomainError as error:
            raise _refused(error) from None
    click.echo("deactivated", err=True)
