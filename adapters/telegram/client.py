"""Calls to the Telegram Bot API (https://core.telegram.org/bots/api), errors translated.

Every method answers ``{"ok": true, "result": ...}`` or ``{"ok": false, "error_code",
"description", "parameters": ResponseParameters}``; 429 carries ``retry_after``.
"""

import logging
from typing import Any, Unpack

from adapters.http_api import ClientOptions, HttpApi
from application.channels import ChannelRefused, ChannelUnavailable

# The Bot API carries the bot's token in the URL, and httpx logs every URL at INFO.
logging.getLogger("httpx").setLevel(logging.WARNING)


class BotApi(HttpApi):
    network = "Telegram"

    def __init__(self, *, base_url: str, token: str, **options: Unpack[ClientOptions]) -> None:
        super().__init__(base_url=f"{base_url.rstrip('/')}/bot{token}", **options)
        self._timeout = options["timeout"]

    def call(self, method: str, *, writes: bool = False, wait: float = 0.0, **payload: Any) -> Any:
        """``wait``: seconds the server may hold the request (long polling), added to the timeout."""
        body = {key: value for key, value in payload.items() if value is not None}
        return self._retried(lambda: self._call_once(method, body, writes, wait))

    def _call_once(self, method: str, body: dict[str, Any], writes: bool, wait: float) -> Any:
        response = self._send("POST", f"/{method}", writes=writes, json=body, timeout=self._timeout + wait)
        answer = self._json(response)
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
