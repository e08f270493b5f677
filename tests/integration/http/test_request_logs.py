"""Every answer carries its request's id; with MCU_LOG_FORMAT=json the log is JSON lines that
carry it too, the unexpected error's line has its error id and stack, and nothing personal
reaches the log."""

import io
import json
import logging
import logging.config
import re
from collections.abc import Callable, Iterator
from uuid import UUID, uuid4

import pytest
from litestar.testing import TestClient

from adapters.clock import ManualClock
from interfaces.bootstrap import Services
from interfaces.logs import log_config
from tests.integration.http.test_complaints_api import post_body

Auth = Callable[..., dict[str, str]]
NAME, PHONE, AUTHOR = "Иванова Мария Петровна", "+7 900 123-45-67", "vk:id4242424"
TEXT = f"Яма у дома Королёва 10, звоните {PHONE}"
PERSONAL = (NAME, PHONE, AUTHOR, TEXT, "Королёва 10")


@pytest.mark.parametrize("sent", ["3f2b8c1e-8a4f-4d1c-9b7a-2c5e6f7a8b9c", "req.42:edge-7f3a"])
def test_a_sane_incoming_request_id_is_echoed(client: TestClient, sent: str) -> None:
    assert client.get("/health", headers={"X-Request-ID": sent}).headers["x-request-id"] == sent


@pytest.mark.parametrize("sent", ["", "short", "x" * 129, f"{NAME} {PHONE}", "a b c d e f g h"])
def test_any_other_is_replaced_by_a_fresh_one(client: TestClient, sent: str) -> None:
    given = client.get("/health", headers={"X-Request-ID": sent.encode()}).headers["x-request-id"]
    assert given != sent and re.fullmatch(r"[0-9a-f]{32}", given)


def test_every_answer_has_one_its_own_refusals_and_unknown_paths_too(client: TestClient) -> None:
    answers = [client.get("/health"), client.get("/metrics"), client.get("/no-such-path"), client.get("/health")]
    assert [a.status_code for a in answers] == [200, 401, 404, 200]
    ids = [a.headers["x-request-id"] for a in answers]
    assert len(set(ids)) == len(ids)


@pytest.fixture
def json_log() -> Iterator[io.StringIO]:
    """The service's JSON logging (as `mcu serve` configures it), written to a buffer."""
    loggers = [logging.getLogger(name) for name in ("", "uvicorn", "uvicorn.access")]
    saved = [(lg.handlers[:], lg.level, lg.propagate) for lg in loggers]
    logging.config.dictConfig(log_config("json"))
    written = io.StringIO()
    for lg in loggers:
        for handler in lg.handlers:
            handler.setStream(written)
    yield written
    for lg, (handlers, level, propagate) in zip(loggers, saved, strict=True):
        lg.handlers[:], lg.level, lg.propagate = handlers, level, propagate


def test_json_lines_carry_the_request_id_and_the_unexpected_error_s_id_and_stack_without_personal_data(
    client: TestClient,
    auth: Auth,
    services: Services,
    clock: ManualClock,
    monkeypatch: pytest.MonkeyPatch,
    json_log: io.StringIO,
) -> None:
    operator = auth("operator")
    body = post_body(clock, author_ref=AUTHOR, text=TEXT, source_ref=uuid4().hex, channel="phone")
    registered = client.post(
        "/api/v1/complaints", headers=operator, json={**body, "author_name": NAME, "author_phone": PHONE}
    )
    assert registered.status_code == 201, registered.text

    def broken(complaint_id: UUID) -> None:
        raise KeyError(f"{NAME}, {PHONE}: {TEXT}")

    monkeypatch.setattr(services.complaints, "get", broken)
    failed = client.get(f"/api/v1/complaints/{uuid4()}", headers={**operator, "X-Request-ID": "trace-0001-abcd"})
    assert failed.status_code == 500
    try:
        raise ValueError(TEXT)
    except ValueError:
        logging.getLogger("mcu.test").exception("a failure whose message quotes a citizen")

    lines = [json.loads(line) for line in json_log.getvalue().splitlines()]
    unexpected = [line for line in lines if line.get("error_id") == failed.json()["error_id"]]
    assert len(unexpected) == 1
    assert unexpected[0]["request_id"] == failed.headers["x-request-id"] == "trace-0001-abcd"
    assert unexpected[0]["level"] == "error" and unexpected[0]["logger"] == "mcu.http"
    assert "KeyError, raised at:" in unexpected[0]["message"] and "in broken" in unexpected[0]["message"]
    quoted = [line for line in lines if line["logger"] == "mcu.test"]
    assert "ValueError, raised at:" in quoted[0]["traceback"]
    assert not [word for word in PERSONAL if word in json_log.getvalue()]


def test_the_access_line_keeps_neither_the_query_nor_the_client_s_address(json_log: io.StringIO) -> None:
    # As uvicorn writes it (uvicorn/protocols/http/httptools_impl.py).
    logging.getLogger("uvicorn.access").info(
        '%s - "%s %s HTTP/%s" %d', "203.0.113.7:51234", "GET", f"/api/v1/complaints?q={NAME}", "1.1", 200
    )
    (line,) = [json.loads(line) for line in json_log.getvalue().splitlines()]
    assert (line["method"], line["path"], line["status"]) == ("GET", "/api/v1/complaints", 200)
    assert NAME not in json_log.getvalue() and "203.0.113.7" not in json_log.getvalue()
