"""The services an Open311 client may request: the centre's complaint categories, each with
the questions it asks (GeoReport v2 "service definitions"). A city's catalogue is data."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from application.open311.errors import InvalidRequest, NotFound
from application.open311.moments import W3C_MOMENT, w3c_moment
from application.projections.calendar import MOSCOW
from application.triage import CATEGORIES

# Free-text answers are short fields of a form; `text` is a paragraph, as long as a description.
MAX_STRING_ANSWER = 255
MAX_TEXT_ANSWER = 4000


class Datatype(StrEnum):
    STRING = "string"
    NUMBER = "number"
    DATETIME = "datetime"
    TEXT = "text"
    SINGLE = "singlevaluelist"
    MULTI = "multivaluelist"


@dataclass(frozen=True, slots=True)
class AttributeValue:
    key: str
    name: str


@dataclass(frozen=True, slots=True)
class Attribute:
    code: str
    datatype: Datatype
    description: str
    required: bool
    order: int
    # False: an informational line shown to the citizen, which takes no answer.
    variable: bool = True
    datatype_description: str | None = None
    values: tuple[AttributeValue, ...] = ()

    def __post_init__(self) -> None:
        listed = self.datatype in (Datatype.SINGLE, Datatype.MULTI)
        if listed != bool(self.values):
            raise ValueError(f"attribute {self.code}: only list datatypes have values, and they must")
        if self.required and not self.variable:
            raise ValueError(f"attribute {self.code}: an informational attribute cannot be required")

    def answer(self, given: tuple[str, ...]) -> str:
        """The answer as an operator reads it; raises InvalidRequest naming what is wrong."""
        field = f"attribute[{self.code}]"
        if not self.variable:
            raise InvalidRequest(f"{field} is informational and takes no answer")
        if self.datatype is Datatype.MULTI:
            return f"{self.description}: {', '.join(self._name_of(value, field) for value in given)}"
        if len(given) > 1:
            raise InvalidRequest(f"{field} takes one value")
        value = given[0]
        if self.datatype is Datatype.SINGLE:
            value = self._name_of(value, field)
        elif self.datatype is Datatype.NUMBER:
            value = self._number(value, field)
        elif self.datatype is Datatype.DATETIME:
            value = self._datetime(value, field)
        else:
            limit = MAX_TEXT_ANSWER if self.datatype is Datatype.TEXT else MAX_STRING_ANSWER
            if len(value) > limit:
                raise InvalidRequest(f"{field} is longer than {limit} characters")
        return f"{self.description}: {value}"

    def _name_of(self, key: str, field: str) -> str:
        for value in self.values:
            if value.key == key:
                return value.name
        known = ", ".join(value.key for value in self.values)
        raise InvalidRequest(f"{field} must be one of: {known}")

    @staticmethod
    def _number(value: str, field: str) -> str:
        try:
            number = Decimal(value)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            raise InvalidRequest(f"{field} must be a number")
        return str(number)

    @staticmethod
    def _datetime(value: str, field: str) -> str:
        moment: datetime | None = w3c_moment(value)
        if moment is None:
            raise InvalidRequest(f"{field} must be {W3C_MOMENT}")
        return moment.astimezone(MOSCOW).strftime("%d.%m.%Y %H:%M")


@dataclass(frozen=True, slots=True)
class Service:
    code: str
    name: str
    description: str
    group: str
    keywords: tuple[str, ...]
    attributes: tuple[Attribute, ...] = ()

    @property
    def metadata(self) -> bool:
        """Whether the service has a definition worth fetching (GeoReport's own flag)."""
        return bool(self.attributes)

    def answers(self, given: Mapping[str, tuple[str, ...]]) -> list[str]:
        """The answers, in the definition's order, as lines an operator reads; every problem at once."""
        problems: list[str] = []
        known = {attribute.code for attribute in self.attributes}
        problems += [
            f"attribute[{code}] is not a question of the service {self.code}" for code in given if code not in known
        ]
        lines: list[str] = []
        for attribute in sorted(self.attributes, key=lambda a: a.order):
            values = tuple(value for value in given.get(attribute.code, ()) if value.strip())
            if not values:
                if attribute.required:
                    problems.append(f"attribute[{attribute.code}] is required: {attribute.description}")
                continue
            try:
                lines.append(attribute.answer(values))
            except InvalidRequest as error:
                problems += error.problems
        if problems:
            raise InvalidRequest(*problems)
        return lines


@dataclass(frozen=True, slots=True)
class Catalogue:
    jurisdiction_id: str
    changeset: datetime
    contact: str
    key_service: str
    services: tuple[Service, ...]

    def __post_init__(self) -> None:
        # A service is a complaint category: requests are triaged, routed and counted by it.
        codes = [service.code for service in self.services]
        if sorted(codes) != sorted(CATEGORIES):
            raise ValueError(f"the services must be exactly the complaint categories {', '.join(CATEGORIES)}")

    def find(self, code: str | None) -> Service | None:
        return next((service for service in self.services if service.code == code), None)

    def service(self, code: str | None) -> Service:
        if not code:
            raise InvalidRequest("service_code was not provided")
        found = self.find(code)
        if found is None:
            raise NotFound(f"service_code {code} was not found")
        return found

    def check_jurisdiction(self, jurisdiction_id: str | None) -> None:
        """One jurisdiction is served, so the parameter may be left out; a different one is unknown."""
        if jurisdiction_id is not None and jurisdiction_id != self.jurisdiction_id:
            raise NotFound(f"jurisdiction_id {jurisdiction_id} was not found")
