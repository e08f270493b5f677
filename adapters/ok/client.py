"""Signed calls to OK's REST API (``/fb.do``).

OK documents the signature for calls with an access token as
``sig = md5(sorted "key=value" pairs, concatenated + md5(access_token + application_secret_key))``
over every parameter except ``sig`` and ``access_token``, hex lower case. Errors come as
``{"error_code", "error_msg", "error_data"}``.
"""

import hashlib
from collections.abc import Mapping
from typing import Any, Unpack

from adapters.http_api import ClientOptions, HttpApi
from application.channels import ChannelRefused, ChannelUnavailable

# 1 unknown, 2 service unavailable, 8 flood blocked, 11 limit reached: they pass with time.
# Others (3 method, 4 request, 10 permission denied, 100 parameter, 102/103 session,
# 104 signature, 300 not found) need a person to act.
_TRY_LATER: dict[int, float | None] = {1: None, 2: None, 8: 60.0, 11: 3600.0}


def signature(params: Mapping[str, str], *, access_token: str, secret_key: str) -> str:
    session_secret = hashlib.md5((access_token + secret_key).encode()).hexdigest()
    signed = "".join(f"{key}={params[key]}" for key in sorted(params) if key not in ("sig", "access_token"))
    return hashlib.md5((signed + session_secret).encode()).hexdigest()


class OkApi(HttpApi):
    network = "OK"

    def __init__(
        self,
        *,
        base_url: str,
        application_key: str,
        secret_key: str,
        access_token: str,
        **options: Unpack[ClientOptions],
    ) -> None:
        super().__init__(base_url=base_url, **options)
        self._application_key = application_key
        self._secret_key = secret_key
        self._access_token = access_token

    def call(self, method: str, *, writes: bool = False, **params: Any) -> Any:
        return self._retried(lambda: self._call_once(method, params, writes))

    def _call_once(self, method: str, params: Mapping[str, Any], writes: bool) -> Any:
        form = {key: str(value) for key, value in params.items() if value is not None}
        form.update(application_key=self._application_key, format="json", method=method)
        form["sig"] = signature(form, access_token=self._access_token, secret_key=self._secret_key)
        form["access_token"] = self._access_token
        response = self._send("POST", "/fb.do", writes=writes, data=form)
        if response.status_code >= 500:
            raise ChannelUnavailable(f"OK answered HTTP {response.status_code}")
        body = self._json(response)
        if isinstance(body, Mapping) and "error_code" in body:
            code = int(body["error_code"])
            reason = f"OK {method}: error {code} ({body.get('error_msg', 'no message')})"
            if code in _TRY_LATER:
                raise ChannelUnavailable(reason, retry_after=_TRY_LATER[code])
            raise ChannelRefused(reason)
        return body
