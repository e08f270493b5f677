"""The outbound port: a reply gateway publishes the centre's reply where the author wrote."""

from abc import ABC, abstractmethod
from dataclasses import dataclass
from enum import Enum
from uuid import UUID


@dataclass(frozen=True, slots=True)
class OutgoingReply:
    delivery_id: UUID  # the idempotency key wherever the network accepts one
    complaint_id: UUID
    channel: str
    kind: str  # a domain.delivery.ReplyKind: clarification request, response or resolution
    source_ref: str  # the item replied to, in the form the channel's intake produced it
    text: str


class Confirmation(Enum):
    NOT_SENT = "not_sent"
    UNKNOWABLE = "unknowable"


class ReplyGateway(ABC):
    """One per channel. Network errors leave as ChannelUnavailable or ChannelRefused."""

    channel: str

    @abstractmethod
    def send(self, reply: OutgoingReply) -> str:
        """Publishes the reply; returns the network's reference to the published message."""

    @abstractmethod
    def confirm(self, reply: OutgoingReply) -> str | Confirmation:
        """After an interrupted send: the published message's reference if the network has
        it, NOT_SENT if the network shows it never arrived, UNKNOWABLE if it cannot tell."""
