"""`mcu serve`: the HTTP API, in as many worker processes as asked."""

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import click
import uvicorn

from adapters.config import Settings
from interfaces.cli.common import load_settings
from interfaces.http.slow_clients import SlowClientTimeouts
from interfaces.logs import log_config


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
    _share_metrics(settings.data_dir / "metrics")
    stop_metrics_port = _metrics_port(settings) if settings.metrics_port else None
    try:
        uvicorn.run(
            "interfaces.http.app:create_app",
            factory=True,
            host=host,
            port=port,
            workers=workers or settings.workers,
            log_level="info",
            log_config=log_config(settings.log_format),
            # Formatting and writing a line per request took a sixth of a registration's CPU.
            access_log=settings.access_log,
            http=SlowClientTimeouts,
            timeout_keep_alive=settings.idle_timeout_seconds,
            forwarded_allow_ips=settings.forwarded_allow_ips,
        )
    finally:
        if stop_metrics_port is not None:
            stop_metrics_port()


def _share_metrics(folder: Path) -> None:
    """Every worker writes its metrics to files in the folder, which a scrape sums; emptied, so
    the counters start from zero with the server. prometheus_client chooses this mode when it
    is imported, so before any of our modules that use it are: none of this one's imports do."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(folder.resolve())


def _metrics_port(settings: Settings) -> Callable[[], None]:
    """/metrics without a token on the metrics port, served by this process (uvicorn's
    supervisor of the workers) from the workers' files and a store connection of its own.
    Returns how to stop it."""
    from prometheus_client import start_http_server

    from interfaces.http.metrics import StoreFigures, scrape_registry
    from interfaces.services import build_services

    services = build_services(settings)
    server, thread = start_http_server(
        settings.metrics_port, addr=settings.metrics_host, registry=scrape_registry(StoreFigures.of(services))
    )
    click.echo(f"mcu: metrics at http://{settings.metrics_host}:{settings.metrics_port}/metrics", err=True)

    def stop() -> None:
        server.shutdown()
        thread.join(timeout=5)
        services.close()

    return stop
