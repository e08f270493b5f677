"""What every network's API client shares: one pooled connection, short retries, the transport
errors translated. Each network's own answers and error codes stay in its own client."""

from collections.abc import Callable, Mapping
from typing import Any, ClassVar, NotRequired, TypedDict, TypeVar

import httpx

from adapters.retry import transport_failure, with_retries
from application.backoff import Backoff
from application.channels import ChannelUnavailable

T = TypeVar("T")


class ClientOptions(TypedDict):
    """The settings every client takes; each network adds its own credentials."""

    timeout: float
    attempts: int
    backoff: Backoff
    max_wait: float
    sleep: NotRequired[Callable[[float], None] | None]


class HttpApi:
    network: ClassVar[str]

    def __init__(
        self,
        *,
        base_url: str,
        timeout: float,
        attempts: int,
        backoff: Backoff,
        max_wait: float,
        sleep: Callable[[float], None] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self._http = httpx.Client(base_url=base_url.rstrip("/"), timeout=timeout, headers=headers)
        self._retry: dict[str, Any] = {"attempts": attempts, "backoff": backoff, "max_wait": max_wait}
        if sleep is not None:
            self._retry["sleep"] = sleep

    def close(self) -> None:
        self._http.close()

    def _retried(self, call: Callable[[], T]) -> T:
        return with_retries(call, **self._retry)

    def _send(self, method: str, path: str, *, writes: bool, **kwargs: Any) -> httpx.Response:
        try:
            return self._http.request(method, path, **kwargs)
        except httpx.HTTPError as error:
            raise transport_failure(self.network, error, writes=writes) from None

    def _json(self, response: httpx.Response) -> Any:
        try:
            return response.json()
        except ValueError:
            raise ChannelUnavailable(f"{self.network} answered HTTP {response.status_code} without JSON") from None
