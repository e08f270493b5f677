"""Open311 parameters from a query string or a form: an empty value is a missing one, lists
are comma separated, and every value that cannot be read is reported at once."""

import math
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from application.open311.errors import InvalidRequest
from application.open311.moments import w3c_moment
from application.open311.service import DEFAULT_LIMIT, NewRequest, Page

T = TypeVar("T")
# attribute[CODE] for one value, attribute[CODE][] repeated for a multivaluelist.
_ATTRIBUTE = re.compile(r"^attribute\[([^\[\]]+)\](?:\[\])?$")


class Params:
    """Reads one request's parameters, collecting the problems instead of stopping at the first."""

    def __init__(self, values: Any) -> None:
        # A Litestar MultiDict (query) or FormMultiDict (form); both have getall.
        self.values = values
        self.problems: list[str] = []

    def text(self, name: str) -> str | None:
        texts = self._texts(name)
        return texts[0] if texts else None

    def comma_list(self, name: str) -> tuple[str, ...]:
        return tuple(part.strip() for text in self._texts(name) for part in text.split(",") if part.strip())

    def moment(self, name: str) -> datetime | None:
        return self._read(name, w3c_moment, "a W3C date and time, e.g. 2010-01-01T00:00:00Z")

    def coordinate(self, name: str) -> float | None:
        return self._read(name, _finite, "a decimal number of degrees")

    def whole(self, name: str) -> int | None:
        return self._read(name, _whole, "a whole number")

    def page(self) -> Page:
        """The page/page_size extension: pages of up to the specification's 1,000, numbered from 1."""
        number, size = self.whole("page"), self.whole("page_size")
        try:
            return Page(number=1 if number is None else number, size=DEFAULT_LIMIT if size is None else size)
        except InvalidRequest as error:
            self.problems += error.problems
            return Page()

    def attributes(self) -> dict[str, tuple[str, ...]]:
        answers: dict[str, tuple[str, ...]] = {}
        for key in dict.fromkeys(self.values.keys()):
            match = _ATTRIBUTE.match(key)
            if match is not None:
                code = match.group(1)
                answers[code] = answers.get(code, ()) + tuple(self._texts(key))
        return answers

    def done(self) -> None:
        if self.problems:
            raise InvalidRequest(*self.problems)

    def _texts(self, name: str) -> list[str]:
        texts = []
        for value in self.values.getall(name, []):
            if not isinstance(value, str):
                self.problems.append(f"{name} must be text; files are not accepted (give media_url)")
            elif value.strip():
                texts.append(value.strip())
        return texts

    def _read(self, name: str, parse: Callable[[str], T | None], what: str) -> T | None:
        text = self.text(name)
        if text is None:
            return None
        value = parse(text)
        if value is None:
            self.problems.append(f"{name} must be {what}")
        return value


def _finite(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _whole(text: str) -> int | None:
    return int(text) if re.fullmatch(r"[0-9]{1,9}", text) else None


def new_request(params: Params) -> NewRequest:
    request = NewRequest(
        service_code=params.text("service_code"),
        lat=params.coordinate("lat"),
        long=params.coordinate("long"),
        address_string=params.text("address_string"),
        address_id=params.text("address_id"),
        attributes=params.attributes(),
        description=params.text("description"),
        media_url=params.text("media_url"),
        email=params.text("email"),
        device_id=params.text("device_id"),
        account_id=params.text("account_id"),
        first_name=params.text("first_name"),
        last_name=params.text("last_name"),
        phone=params.text("phone"),
    )
    params.done()
    return request
