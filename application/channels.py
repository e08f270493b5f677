"""What can go wrong when talking to a social network or the feedback platform.

Adapters translate each network's own error codes into these two, so the pollers and the
reply process decide about waiting and retrying in one place, the same for every channel.
"""


class ChannelUnavailable(Exception):
    """The network cannot serve us now (rate limit, flood control, outage): try again later."""

    def __init__(self, reason: str, *, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


class ChannelRefused(Exception):
    """The network refused for a reason that waiting will not cure (access denied, bad token)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class OutcomeUnknown(ChannelUnavailable):
    """A write whose answer was lost (a read timeout, a dropped connection): the network may
    have acted. Never blindly repeated; the reply process asks the network what happened."""
