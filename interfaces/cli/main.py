"""The `mcu` command: serve the API and administer the centre's store."""

import sys

import click
import uvicorn

from domain.access import Role
from domain.complaint import Channel
from domain.errors import DomainError
from interfaces.cli.audit import audit, history
from interfaces.cli.channels import import_pos, poll, replies
from interfaces.cli.citizens import citizen
from interfaces.cli.common import load_settings, open_services
from interfaces.cli.imports import import_complaints
from interfaces.cli.projections import demo, project, replay
from interfaces.cli.triage import triage
from interfaces.http.slow_clients import SlowClientTimeouts


@click.group()
def main() -> None:
    """mcu: the municipal management centre's complaint service."""


@main.command()
@click.option("--host", default=None, help="interface to listen on [MCU_HOST, 127.0.0.1]")
@click.option("--port", type=int, default=None, help="port [MCU_PORT, 8000]")
@click.option("--workers", type=int, default=None, help="worker processes [MCU_WORKERS, 1]")
def serve(host: str | None, port: int | None, workers: int | None) -> None:
    """Serve the HTTP API."""
    settings = load_settings()
    host, port = host or settings.host, port or settings.port
    where = f"SQLite file {settings.sqlite_path.resolve()}" if settings.store == "sqlite" else f"{settings.store} store"
    click.echo(f"mcu: serving http://{host}:{port}/api/v1 on the {where}", err=True)
    click.echo(f"mcu: API docs at http://{host}:{port}/schema, health at /health", err=True)
    uvicorn.run(
        "interfaces.http.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers or settings.workers,
        log_level="info",
        # Formatting and writing a line per request took a sixth of a registration's CPU.
        access_log=settings.access_log,
        http=SlowClientTimeouts,
        timeout_keep_alive=settings.idle_timeout_seconds,
        forwarded_allow_ips=settings.forwarded_allow_ips,
    )


@main.group()
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


for command in (history, audit, citizen, import_complaints, import_pos, poll, replies, project, replay, demo, triage):
    main.add_command(command)
