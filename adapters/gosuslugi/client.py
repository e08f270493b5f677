"""HTTP calls to the feedback platform, errors translated (docs/pos-contract.md, "Errors")."""

from collections.abc import Callable
from typing import Any

import httpx

from adapters.retry import transport_failure, with_retries
from application.backoff import Backoff
from application.channels import ChannelRefused, ChannelUnavailable


class PosApi:
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
        self._http = httpx.Client(
            base_url=base_url.rstrip("/"),
            timeout=timeout,
            headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
        )
        self._retry: dict[str, Any] = {"attempts": attempts, "backoff": backoff, "max_wait": max_wait}
        if sleep is not None:
            self._retry["sleep"] = sleep

    def get(self, path: str, **params: Any) -> Any | None:
        """The JSON body, or None for 404."""
        query = {key: value for key, value in params.items() if value is not None}
        return with_retries(lambda: self._request("GET", path, params=query), **self._retry)

    def put(self, path: str, body: dict[str, Any]) -> Any:
        # PUT to a key we choose is idempotent by the contract, so even a lost answer is retried.
        return with_retries(lambda: self._request("PUT", path, json=body), **self._retry)

    def close(self) -> None:
        self._http.close()

    def _request(self, method: str, path: str, **kwargs: Any) -> Any | None:
        try:
            response = self._http.request(method, path, **kwargs)
        except httpx.HTTPError as error:
            raise transport_failure("ПОС", error, writes=False) from None
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
