"""What Open311 tests and specifications share: a real server on loopback, raw form bodies,
and reading the specified error bodies."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from time import monotonic, sleep
from typing import Any
from urllib.parse import urlencode
from xml.etree.ElementTree import fromstring

import uvicorn
from litestar import Litestar

from adapters.clock import ManualClock
from interfaces.bootstrap import Services

ROOT = "/open311/v2"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
PUSHKINSKAYA = {"address_string": "ул. Пушкинская, 150"}
HOT_WATER = {"service_code": "housing_utilities", "attribute[utility]": "hot_water"}
_START_TIMEOUT = 10.0


@dataclass
class Live:
    services: Services
    clock: ManualClock
    url: str
    key: str

    @property
    def root(self) -> str:
        return f"{self.url}{ROOT}"


@contextmanager
def serving(app: Litestar) -> Iterator[str]:
    """The app's base URL while uvicorn serves it on 127.0.0.1 (a port the system picks) in a
    background thread; stopped, within a bounded wait, on exit."""
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, name="open311-test-server", daemon=True)
    thread.start()
    deadline = monotonic() + _START_TIMEOUT
    while not server.started:
        if not thread.is_alive() or monotonic() > deadline:
            server.should_exit = True
            raise RuntimeError("the test server did not start")
        sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=_START_TIMEOUT)


def form(**fields: Any) -> str:
    """A body exactly as the specification shows one: application/x-www-form-urlencoded; a
    list gives the field once per value (``attribute[CODE][]``)."""
    return urlencode(fields, doseq=True)


def errors_of(response: Any) -> list[tuple[int, str]]:
    """The specified error body in either format, as (code, description) pairs."""
    if response.headers["content-type"].startswith("text/xml"):
        root = fromstring(response.content)
        assert root.tag == "errors"
        assert all([child.tag for child in error] == ["code", "description"] for error in root)
        return [(int(error.findtext("code") or 0), error.findtext("description") or "") for error in root]
    return [(error["code"], error["description"]) for error in response.json()]
