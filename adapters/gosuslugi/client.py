"""HTTP calls to the feedback platform, errors translated (docs/pos-contract.md, "Errors")."""

from typing import Any, Unpack

import httpx

from adapters.http_api import ClientOptions, HttpApi
from application.channels import ChannelRefused, ChannelUnavailable


class PosApi(HttpApi):
    network = "ПОС"

    def __init__(self, *, base_url: str, token: str, **options: Unpack[ClientOptions]) -> None:
        super().__init__(
            base_url=base_url, headers={"Authorization": f"Bearer {token}", "Accept": "application/json"}, **options
        )

    def get(self, path: str, **params: Any) -> Any | None:
        """The JSON body, or None for 404."""
        query = {key: value for key, value in params.items() if value is not None}
        return self._retried(lambda: self._request("GET", path, params=query))

    def put(self, path: str, body: dict[str, Any]) -> Any:
        # PUT to a key we choose is idempotent by the contract, so even a lost answer is retried.
        return self._retried(lambda: self._request("PUT", path, json=body))

    def _request(self, method: str, path: str, **kwargs: Any) -> Any | None:
        response = self._send(method, path, writes=False, **kwargs)
        if response.status_code == 404 and method == "GET":
            return None
        if response.status_code == 429 or response.status_code >= 500:
            retry_after = response.headers.get("Retry-After")
            raise ChannelUnavailable(
                f"ПОС {method} {path}: HTTP {response.status_code}",
                retry_after=float(retry_after) if retry_after and retry_after.isdigit() else None,
            )
        if response.status_code >= 400:
            raise ChannelRefused(f"ПОС {method} {path}: HTTP {response.status_code} {_message(response)}")
        return response.json()


def _message(response: httpx.Response) -> str:
    try:
        return str(response.json()["error"]["message"])
    except (ValueError, KeyError, TypeError):
        return ""
