"""A real `mcu serve`: clients too slow to be real lose their connection, quick ones do not."""

import os
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.server import free_port, serving

TIMEOUT = 1.0
# Well past the timeout, well short of "forever": the slow client gives up here.
PATIENCE = 8.0


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    workdir: Path = tmp_path_factory.mktemp("slow")
    env = {
        **os.environ,
        "MCU_STORE": "sqlite",
        "MCU_DATA_DIR": str(workdir / "var"),
        "MCU_HEADER_TIMEOUT_SECONDS": str(TIMEOUT),
        "MCU_BODY_TIMEOUT_SECONDS": str(TIMEOUT),
        "MCU_IDLE_TIMEOUT_SECONDS": str(int(TIMEOUT)),
    }
    port = free_port()
    with serving(workdir, env, port):
        yield port


def _trickle(port: int, first: bytes, drip: bytes) -> tuple[float, bytes]:
    """Sends ``first``, then ``drip`` every 0.2 s until the server closes the connection or
    PATIENCE runs out; returns how long the connection lasted and what the server said."""
    started = time.monotonic()
    heard = b""
    with socket.create_connection(("127.0.0.1", port)) as connection:
        connection.settimeout(0.2)
        connection.sendall(first)
        while time.monotonic() - started < PATIENCE:
            try:
                chunk = connection.recv(4096)
            except TimeoutError:
                try:
                    connection.sendall(drip)
                except OSError:
                    break
                continue
            except OSError:
                break
            if not chunk:
                break
            heard += chunk
    return time.monotonic() - started, heard


def test_headers_sent_a_line_at_a_time_forever_are_cut_off(server: int) -> None:
    lasted, heard = _trickle(server, b"GET /health HTTP/1.1\r\nHost: mcu\r\n", b"X-Slow: a\r\n")
    assert lasted < TIMEOUT + 3, f"the connection lasted {lasted:.1f} s"
    assert heard.startswith(b"HTTP/1.1 408")


def test_a_body_sent_a_byte_at_a_time_is_cut_off(server: int) -> None:
    head = b"POST /hooks/telegram HTTP/1.1\r\nHost: mcu\r\nContent-Type: application/json\r\n"
    head += b"Content-Length: 500\r\n\r\n"
    lasted, heard = _trickle(server, head, b" ")
    assert lasted < TIMEOUT + 3, f"the connection lasted {lasted:.1f} s"
    assert heard.startswith(b"HTTP/1.1 408")


def test_a_connection_that_says_nothing_is_closed(server: int) -> None:
    lasted, heard = _trickle(server, b"", b"")
    assert lasted < TIMEOUT + 3 and heard.startswith(b"HTTP/1.1 408")


def test_an_idle_keep_alive_connection_is_closed_after_its_answer(server: int) -> None:
    lasted, heard = _trickle(server, b"GET /health HTTP/1.1\r\nHost: mcu\r\n\r\n", b"")
    assert heard.startswith(b"HTTP/1.1 200") and b"408" not in heard
    assert lasted < TIMEOUT + 3


def test_a_request_at_a_human_pace_is_answered(server: int) -> None:
    with socket.create_connection(("127.0.0.1", server)) as connection:
        for line in (b"GET /health HTTP/1.1\r\n", b"Host: mcu\r\n", b"Connection: close\r\n", b"\r\n"):
            connection.sendall(line)
            time.sleep(TIMEOUT / 4)
        connection.settimeout(10)
        answer = b""
        while chunk := connection.recv(4096):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 200")
