"""The terms a complaint is filed under in one city: the categories of its service catalogue
and its districts. Both are the city's configuration (data), read once where the services are
built; nothing here lists them."""

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

from application.errors import ApplicationError


class Term(Enum):
    CATEGORY = "category"
    DISTRICT = "district"


class UnknownTerm(ApplicationError):
    """A value outside the city's terms. The message names the allowed values, never the given
    one: a district is typed by hand and may hold anything."""

    def __init__(self, term: Term, allowed: tuple[str, ...]) -> None:
        self.term = term
        self.allowed = allowed
        super().__init__(f"{term.value} must be one of: {', '.join(allowed)}")


@dataclass(frozen=True, slots=True)
class CityTerms:
    categories: tuple[str, ...]
    districts: tuple[str, ...]

    def allowed(self, term: Term) -> tuple[str, ...]:
        return self.categories if term is Term.CATEGORY else self.districts

    def check(self, term: Term, values: Iterable[str | None]) -> None:
        """Raises UnknownTerm unless every value given (None is none) is one of the term's."""
        allowed = self.allowed(term)
        if any(value is not None and value not in allowed for value in values):
            raise UnknownTerm(term, allowed)
