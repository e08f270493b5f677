"""The `mcu` command: serve the API and administer the centre's store."""

import sys

import click
import uvicorn
from pydantic import ValidationError

from adapters.config import Settings
from domain.access import Role
from domain.errors import DomainError
from interfaces.bootstrap import bootstrap


def _settings() -> Settings:
    try:
        return Settings()
    except ValidationError as error:
        first = error.errors()[0]
        name = "MCU_" + "_".join(str(p) for p in first["loc"]).upper()
        raise click.ClickException(f"invalid setting {name}: {first['msg']}") from None


@click.group()
def main() -> None:
    """mcu: the municipal management centre's complaint service."""


@main.command()
@click.option("--host", default=None, help="interface to listen on [MCU_HOST, 127.0.0.1]")
@click.option("--port", type=int, default=None, help="port [MCU_PORT, 8000]")
@click.option("--workers", type=int, default=None, help="worker processes [MCU_WORKERS, 1]")
def serve(host: str | None, port: int | None, workers: int | None) -> None:
    """Serve the HTTP API."""
    settings = _settings()
    host, port = host or settings.host, port or settings.port
    where = (f"SQLite file {settings.sqlite_path.resolve()}" if settings.store == "sqlite"
             else f"{settings.store} store")
    click.echo(f"mcu: serving http://{host}:{port}/api/v1 on the {where}", err=True)
    click.echo(f"mcu: API docs at http://{host}:{port}/schema, health at /health", err=True)
    uvicorn.run("interfaces.http.app:create_app", factory=True, host=host, port=port,
                workers=workers or settings.workers, log_level="info")


@main.group()
def token() -> None:
    """API tokens."""


@token.command("issue")
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--name", required=True, help="who holds the token (a person or an adapter)")
def issue_token(role: str, name: str) -> None:
    """Issue a new token and print it once; only its hash is stored."""
    services = bootstrap(_settings())
    try:
        click.echo(services.access.issue_token(role=role, name=name))
    except DomainError as error:
        raise click.ClickException(str(error)) from None
    finally:
        services.close()


@token.command("revoke")
@click.argument("token_value", metavar="TOKEN", required=False)
def revoke_token(token_value: str | None) -> None:
    """Revoke a token (given as the argument or on stdin)."""
    token_value = (token_value or sys.stdin.readline()).strip()
    if not token_value:
        raise click.ClickException("give the token to revoke")
    services = bootstrap(_settings())
    try:
        services.access.revoke_token(token_value)
    finally:
        services.close()
    click.echo("revoked", err=True)


# After _settings, which the channel commands share with the rest of the group.
from interfaces.cli.channels import register_channel_commands  # noqa: E402

register_channel_commands(main, _settings)

from interfaces.cli.projections import register_projection_commands  # noqa: E402

register_projection_commands(main, _settings)

from interfaces.cli.audit import audit, history  # noqa: E402
from interfaces.cli.citizens import citizen  # noqa: E402
from interfaces.cli.imports import import_complaints  # noqa: E402
from interfaces.cli.triage import triage  # noqa: E402

main.add_command(history)
main.add_command(audit)
main.add_command(citizen)
main.add_command(import_complaints)
main.add_command(triage)
