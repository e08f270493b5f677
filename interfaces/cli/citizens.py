"""`mcu citizen forget`: a citizen's right to be forgotten, from the terminal."""

import click

from interfaces.cli.common import open_services


@click.group()
def citizen() -> None:
    """Citizens' personal data."""


@citizen.command()
@click.argument("author_ref")
@click.option("--yes", is_flag=True, help="do not ask for confirmation")
def forget(author_ref: str, yes: bool) -> None:
    """Make AUTHOR_REF's personal data (e.g. vk:id777) unreadable everywhere, exports included:
    name, contacts and the references that name them (a Telegram private chat, their own VK wall)."""
    if not yes:
        # Forgetting cannot be undone: the citizen's key is destroyed.
        click.confirm(f"forget {author_ref} for good? this cannot be undone", abort=True, err=True)
    with open_services() as services:
        forgotten = services.personal_data.forget(author_ref)
    click.echo("forgotten" if forgotten else "no personal data of this citizen was held")
