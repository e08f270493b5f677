"""Calls to the VK API (https://dev.vk.com/method), with VK's error codes translated.

Shaped on VK's JSON Schema (vk-api-schema, API 5.199): every method answers
``{"response": ...}`` or ``{"error": {"error_code", "error_msg", ...}}`` with HTTP 200.
"""

from collections.abc import Mapping
from typing import Any, Unpack

from adapters.http_api import ClientOptions, HttpApi
from application.channels import ChannelRefused, ChannelUnavailable

API_VERSION = "5.199"

# Codes that pass with time, and how long VK's documentation suggests waiting (None: back off).
# 1 unknown, 6 too many requests per second, 9 flood control, 10 internal server error,
# 29 rate limit (a daily quota), 223 too many replies.
_TRY_LATER: dict[int, float | None] = {1: None, 6: None, 9: 60.0, 10: None, 29: 3600.0, 223: 600.0}
# Everything else (5 authorisation, 15 access denied, 18 deleted or banned, 30 private
# profile, 100 bad parameter, 203 group access, 210-213 wall access...) waiting will not cure.


class VkApi(HttpApi):
    network = "VK"

    def __init__(self, *, base_url: str, token: str, **options: Unpack[ClientOptions]) -> None:
        super().__init__(base_url=base_url, **options)
        self._token = token

    def call(self, method: str, *, writes: bool = False, **params: Any) -> Any:
        return self._retried(lambda: self._call_once(method, params, writes))

    def _call_once(self, method: str, params: Mapping[str, Any], writes: bool) -> Any:
        form = {key: _form_value(value) for key, value in params.items() if value is not None}
        form.update(access_token=self._token, v=API_VERSION)
        response = self._send("POST", f"/method/{method}", writes=writes, data=form)
        if response.status_code >= 500:
            raise ChannelUnavailable(f"VK answered HTTP {response.status_code}")
        body = self._json(response)
        if "error" in body:
            raise _error(method, body["error"])
        return body["response"]


def _form_value(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (list, tuple)):
        return ",".join(str(item) for item in value)
    return str(value)


def _error(method: str, error: Mapping[str, Any]) -> Exception:
    code = int(error.get("error_code", 0))
    reason = f"VK {method}: error {code} ({error.get('error_msg', 'no message')})"
    if code in _TRY_LATER:
        return ChannelUnavailable(reason, retry_after=_TRY_LATER[code])
    return ChannelRefused(reason)
