"""A reply gateway that keeps what it published, with scripted failures."""

from collections import deque

from application.channels import ChannelRefused, ChannelUnavailable, OutcomeUnknown
from application.replies.gateway import Confirmation, OutgoingReply, ReplyGateway


class RecordingGateway(ReplyGateway):
    def __init__(self, channel: str, *, can_confirm: bool = True) -> None:
        self.channel = channel
        self.can_confirm = can_confirm
        self.published: list[OutgoingReply] = []
        self.failures: deque[Exception] = deque()

    def fail_next(self, *errors: Exception) -> None:
        self.failures.extend(errors)

    def send(self, reply: OutgoingReply) -> str:
        if self.failures:
            error = self.failures.popleft()
            if isinstance(error, OutcomeUnknown):
                self.published.append(reply)  # it arrived; only the answer was lost
            raise error
        self.published.append(reply)
        return f"msg-{len(self.published)}"

    def confirm(self, reply: OutgoingReply) -> str | Confirmation:
        if not self.can_confirm:
            return Confirmation.UNKNOWABLE
        for number, published in enumerate(self.published, start=1):
            if published.delivery_id == reply.delivery_id:
                return f"msg-{number}"
        return Confirmation.NOT_SENT


__all__ = ["ChannelRefused", "ChannelUnavailable", "OutcomeUnknown", "RecordingGateway"]
