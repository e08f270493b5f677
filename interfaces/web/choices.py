"""The districts and organisations the filters and the assignment form offer: those of the
routing table in force, read once per table file (it changes with a deployment, not a request)."""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from adapters.config import Settings
from adapters.routing import ROSTOV, load_routing_table


@dataclass(frozen=True, slots=True)
class Choices:
    districts: list[tuple[str, str]]
    organisations: list[tuple[str, str]]


@cache
def _of(table: Path) -> Choices:
    routing = load_routing_table(table)
    return Choices(
        districts=[(d, d) for d in routing.districts],
        organisations=[(o, o) for o in routing.organisations],
    )


def choices(settings: Settings) -> Choices:
    return _of(Path(settings.routing_table or ROSTOV))
