"""Open311 parameters from a query string or a form: an empty value is a missing one, lists
are comma separated, and every value that cannot be read is reported at once."""

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from application.open311.errors import InvalidRequest
from application.open311.moments import W3C_MOMENT, w3c_moment
from application.open311.service import DEFAULT_LIMIT, NewRequest, Page

T = TypeVar("T")
# attribute[CODE] for one value, attribute[CODE][] repeated for a multivaluelist.
_ATTRIBUTE = re.compile(r"^attribute\[([^\[\]]+)\](?:\[\])?$")
# ASCII digits only: without the flag, \d matches the digits of every script.
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)", re.ASCII)


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
        return self._read(name, w3c_moment, W3C_MOMENT)

    def coordinate(self, name: str, limit: int) -> float | None:
        """Decimal degrees as written by hand or by a client: digits, a point, a sign; none of
        the other spellings float() accepts (``4_7``, ``nan``, ``1e1``, other scripts' digits)."""
        degrees = self._read(name, _decimal, "a decimal number of degrees")
        if degrees is not None and not -limit <= degrees <= limit:
            self.problems.append(f"{name} must be between -{limit} and {limit}")
            return None
        return degrees

    def whole(self, name: str) -> int | None:
        return self._read(name, _whole, "a whole number")

    def page(self, most: int = DEFAULT_LIMIT) -> Page:
        """The page/page_size extension: pages of up to ``most`` (the specification's 1,000 for
        requests), the largest by default, numbered from 1."""
        number, size = self.whole("page"), self.whole("page_size")
        try:
            return Page(number=1 if number is None else number, size=most if size is None else size, most=most)
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


def _decimal(text: str) -> float | None:
    return float(text) if _DECIMAL.fullmatch(text) else None


def _whole(text: str) -> int | None:
    return int(text) if re.fullmatch(r"[0-9]{1,9}", text) else None


def new_request(params: Params) -> NewRequest:
    request = NewRequest(
        service_code=params.text("service_code"),
        lat=params.coordinate("lat", 90),
        long=params.coordinate("long", 180),
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
