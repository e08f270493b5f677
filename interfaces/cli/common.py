"""What every `mcu` subcommand shares: settings read once with a one-line error, and services."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

import click
from pydantic import ValidationError

from adapters.config import Settings
from application.projections.calendar import MOSCOW
from interfaces.services import Services, build_services


def load_settings() -> Settings:
    try:
        return Settings()
    except ValidationError as error:
        first = error.errors()[0]
        name = "MCU_" + "_".join(str(p) for p in first["loc"]).upper()
        raise click.ClickException(f"invalid setting {name}: {first['msg']}") from None


@contextmanager
def open_services() -> Iterator[Services]:
    services = build_services(load_settings())
    try:
        yield services
    finally:
        services.close()


def shown(moment: datetime) -> str:
    """A moment as the CLI shows it to a person: Moscow time, the city's, to the second, with
    its offset, so it reads unambiguously and can be given back (``--as-of``)."""
    return moment.astimezone(MOSCOW).isoformat(timespec="seconds")


class Moment(click.ParamType):
    """An ISO 8601 time with its offset; a naive time is refused rather than guessed."""

    name = "time"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> datetime:
        if isinstance(value, datetime):
            return value
        try:
            moment = datetime.fromisoformat(str(value))
        except ValueError:
            self.fail(f"{value!r} is not an ISO 8601 time such as 2026-11-28T12:00:00+03:00", param, ctx)
        if moment.tzinfo is None:
            self.fail(f"{value!r} needs a time zone offset such as +03:00", param, ctx)
        return moment
