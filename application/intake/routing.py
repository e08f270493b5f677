"""Which organisation acts on a complaint: a table of category × district, kept as data."""

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Route:
    category: str
    district: str | None  # None: every district without a row of its own
    organisation: str


class RoutingTable:
    def __init__(self, routes: Iterable[Route]) -> None:
        self._routes: dict[tuple[str, str | None], str] = {}
        for route in routes:
            key = (route.category, route.district)
            if key in self._routes:
                where = route.district or "any district"
                raise ValueError(f"two routes for {route.category} in {where}")
            self._routes[key] = route.organisation

    @property
    def districts(self) -> list[str]:
        return sorted({district for _, district in self._routes if district is not None})

    @property
    def organisations(self) -> list[str]:
        return sorted(set(self._routes.values()))

    def organisation_for(self, category: str | None, district: str | None) -> str | None:
        """The district's own row first, then the category's city-wide row; None: an operator routes."""
        if category is None:
            return None
        if district is not None and (category, district) in self._routes:
            return self._routes[(category, district)]
        return self._routes.get((category, None))
