"""Calls to the Telegram Bot API (https://core.telegram.org/bots/api), errors translated.

Every method answers ``{"ok": true, "result": ...}`` or ``{"ok": false, "error_code",
"description", "parameters": ResponseParameters}``; 429 carries ``retry_after``.
"""

import logging
from collections.abc import Callable
from typing import Any

import httpx

from adapters.retry import transport_failure, with_retries
from application.backoff import Backoff
from application.channels import ChannelRefused, ChannelUnavailable

# The Bot API carries the bot's token in the URL, and httpx logs every URL at INFO.
logging.getLogger("httpx").setLevel(logging.WARNING)


class BotApi:
    def __init__(
        self,
        *,
        base_url: str,
        token: str,
        timeout: float,
        attempts: int,
        backoff: Backoff,
        max_wait: float,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        self._http = httpx.Client(base_url=f"{base_url.rstrip('/')}/bot{token}", timeout=timeout)
        self._timeout = timeout
        self._retry: dict[str, Any] = {"attempts": attempts, "backoff": backoff, "max_wait": max_wait}
        if sleep is not None:
            self._retry["sleep"] = sleep

    def call(self, method: str, *, writes: bool = False, wait: float = 0.0, **payload: Any) -> Any:
        """``wait``: seconds the server may hold the request (long polling), added to the timeout."""
        body = {key: value for key, value in payload.items() if value is not None}
        return with_retries(lambda: self._call_once(method, body, writes, wait), **self._retry)

    def close(self) -> None:
        self._http.close()

    def _call_once(self, method: str, body: dict[str, Any], writes: bool, wait: float) -> Any:
        try:
            response = self._http.post(f"/{method}", json=body, timeout=self._timeout + wait)
        except httpx.HTTPError as error:
            raise transport_failure("Telegram", error, writes=writes) from None
        try:
            answer = response.json()
        except ValueError:
            raise ChannelUnavailable(f"Telegram answered HTTP {response.status_code} without JSON") from None
        if answer.get("ok"):
            return answer["result"]
        code = int(answer.get("error_code", response.status_code))
        reason = f"Telegram {method}: {code} {answer.get('description', '')}".rstrip()
        if code == 429 or code >= 500:
            retry_after = (answer.get("parameters") or {}).get("retry_after")
            raise ChannelUnavailable(reason, retry_after=float(retry_after) if retry_after else None)
        # 400 (no such message or chat), 401 (bad token), 403 (bot removed from the chat),
        # 409 (a webhook is set while polling): not cured by waiting.
        raise ChannelRefused(reason)
