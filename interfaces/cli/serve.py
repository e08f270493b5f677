"""`mcu serve`: the HTTP API, in as many worker processes as asked."""

import click
import uvicorn

from interfaces.cli.common import load_settings
from interfaces.http.slow_clients import SlowClientTimeouts


@click.command()
@click.option("--host", default=None, help="interface to listen on [MCU_HOST, 127.0.0.1]")
@click.option("--port", type=int, default=None, help="port [MCU_PORT, 8000]")
@click.option("--workers", type=int, default=None, help="worker processes [MCU_WORKERS, 1]")
def serve(host: str | None, port: int | None, workers: int | None) -> None:
    """Serve the HTTP API."""
    settings = load_settings()
    host, port = host or settings.host, port or settings.port
    where = f"SQLite file {settings.sqlite_path.resolve()}" if settings.store == "sqlite" else f"{settings.store} store"
    click.echo(f"mcu: serving http://{host}:{port}/api/v1 on the {where}", err=True)
    click.echo(f"mcu: the console at http://{host}:{port}/, API docs at /schema, health at /health", err=True)
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
