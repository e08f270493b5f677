"""Closes connections of clients too slow to be real: uvicorn bounds only the idle time
between keep-alive requests, so a client sending a header line every few seconds (slowloris)
or a body a byte at a time held its connection, a file descriptor and memory, forever.

The protocol is uvicorn's own (httptools) with two deadlines added: a request's headers must
arrive within MCU_HEADER_TIMEOUT_SECONDS of its first byte (or of the connection, for the
first request), its body within MCU_BODY_TIMEOUT_SECONDS of the headers. Past one, the client
gets 408 and the connection is closed. While the app works on a request nothing is timed.
"""

import asyncio
from functools import cache
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from adapters.config import Settings

_TOO_SLOW = b"the request did not arrive in time"
_REQUEST_TIMEOUT = (
    b"HTTP/1.1 408 Request Timeout\r\ncontent-type: text/plain; charset=utf-8\r\n"
    b"content-length: %d\r\nconnection: close\r\n\r\n%s" % (len(_TOO_SLOW), _TOO_SLOW)
)


@cache
def _deadlines() -> tuple[float, float]:
    # uvicorn builds the protocol with its own Config only; each worker process reads the
    # settings once here, as the app it serves does.
    settings = Settings()
    return settings.header_timeout_seconds, settings.body_timeout_seconds


class SlowClientTimeouts(HttpToolsProtocol):
    _deadline: asyncio.TimerHandle | None = None
    _reading_body = False

    def connection_made(self, transport: Any) -> None:
        super().connection_made(transport)
        self._arm(_deadlines()[0])

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._arm(_deadlines()[0])

    def on_headers_complete(self) -> None:
        super().on_headers_complete()
        self._reading_body = True
        self._arm(_deadlines()[1])

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._reading_body = False
        self._disarm()

    def _arm(self, seconds: float) -> None:
        self._disarm()
        self._deadline = self.loop.call_later(seconds, self._too_slow)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _too_slow(self) -> None:
        self._deadline = None
        if self.transport.is_closing():
            return
        previous = None if self._reading_body else self.cycle
        if previous is not None and not previous.response_complete:
            # A pipelined request waits for the answer to the one before it: not the client's delay.
            self._arm(_deadlines()[0])
            return
        if not (self._reading_body and self.cycle.response_started):
            self.transport.write(_REQUEST_TIMEOUT)
        # The app waiting for the rest of the body is told the client is gone.
        self.transport.close()
