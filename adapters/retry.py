"""Short, bounded retries inside one call to a network, for hiccups that pass in seconds.

Longer waits (a daily rate limit, an outage) are not slept through here: the error goes up
to the poller or the reply process, which wait without holding a thread or a request.
"""

import time
from collections.abc import Callable
from typing import TypeVar

import httpx

from application.backoff import Backoff
from application.channels import ChannelUnavailable, OutcomeUnknown

T = TypeVar("T")


def with_retries(
    call: Callable[[], T],
    *,
    attempts: int,
    backoff: Backoff,
    max_wait: float,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    for attempt in range(1, attempts + 1):
        try:
            return call()
        except ChannelUnavailable as error:
            wait = backoff.delay(attempt, at_least=error.retry_after)
            if isinstance(error, OutcomeUnknown) or attempt == attempts or wait > max_wait:
                raise
            sleep(wait)
    raise AssertionError("unreachable: the last attempt returns or raises")


def transport_failure(network: str, error: httpx.HTTPError, *, writes: bool) -> ChannelUnavailable:
    """No answer from the network. A request that never connected did nothing; a write that
    lost its answer may have been carried out, and must not be repeated as if it had not."""
    reason = f"{network} did not answer ({type(error).__name__})"
    if writes and not isinstance(error, (httpx.ConnectError, httpx.ConnectTimeout)):
        return OutcomeUnknown(reason)
    return ChannelUnavailable(reason)
