"""A reply on its way to the citizen, on the channel they wrote on.

One delivery per complaint event that must reach the author (a clarification request, a
response, a resolution), so its id is derived from that event and a replayed event never
schedules a second one. Every step is recorded: the claim before the network is called, and
the outcome after, so a crash in between is visible as a delivery left "sending".
"""

from datetime import datetime
from enum import StrEnum
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.errors import DomainError

_DELIVERY_NAMESPACE = uuid5(NAMESPACE_URL, "urn:mcu:reply-delivery")
_MESSAGE_NAMESPACE = uuid5(NAMESPACE_URL, "urn:mcu:reply-message")


class DeliveryState(StrEnum):
    SCHEDULED = "scheduled"
    SENDING = "sending"
    SENT = "sent"
    RETRYING = "retrying"
    # The process stopped while the network was being called and the network cannot tell
    # whether the reply arrived: an operator decides, because resending could duplicate it.
    UNCONFIRMED = "unconfirmed"
    FAILED = "failed"


class ReplyKind(StrEnum):
    CLARIFICATION_REQUEST = "clarification_request"
    RESPONSE = "response"
    RESOLUTION = "resolution"


class DeliveryRefused(DomainError):
    """The delivery is not in a state that allows this step."""


class Delivery(Aggregate):
    class Scheduled(Aggregate.Created):
        complaint_id: UUID
        complaint_version: int
        kind: str
        channel: str
        source_ref: str
        text: str

    class Claimed(Aggregate.Event):
        attempt: int

    class Sent(Aggregate.Event):
        external_ref: str

    class Deferred(Aggregate.Event):
        reason: str
        retry_at: datetime

    class Failed(Aggregate.Event):
        reason: str

    class Unconfirmed(Aggregate.Event):
        reason: str

    class Requeued(Aggregate.Event):
        actor: str

    @staticmethod
    def create_id(complaint_id: UUID, complaint_version: int) -> UUID:
        return uuid5(_DELIVERY_NAMESPACE, f"{complaint_id}/{complaint_version}")

    @classmethod
    def schedule(
        cls,
        *,
        complaint_id: UUID,
        complaint_version: int,
        kind: ReplyKind,
        channel: str,
        source_ref: str,
        text: str,
        at: datetime,
    ) -> "Delivery":
        return cls._create(
            cls.Scheduled,
            id=cls.create_id(complaint_id, complaint_version),
            timestamp=at,
            complaint_id=complaint_id,
            complaint_version=complaint_version,
            kind=ReplyKind(kind).value,
            channel=channel,
            source_ref=source_ref,
            text=text,
        )

    @event(Scheduled)
    def __init__(
        self,
        complaint_id: UUID,
        complaint_version: int,
        kind: str,
        channel: str,
        source_ref: str,
        text: str,
    ) -> None:
        self.complaint_id = complaint_id
        self.complaint_version = complaint_version
        self.kind = ReplyKind(kind)
        self.channel = channel
        self.source_ref = source_ref
        self.text = text
        self.state = DeliveryState.SCHEDULED
        self.attempts = 0
        self.claimed_at: datetime | None = None
        self.retry_at: datetime | None = None
        self.external_ref: str | None = None
        self.last_error: str | None = None

    def is_due(self, now: datetime) -> bool:
        if self.state is DeliveryState.SCHEDULED:
            return True
        return self.state is DeliveryState.RETRYING and (self.retry_at is None or self.retry_at <= now)

    def claim(self, *, at: datetime) -> None:
        """Recorded before the network is called, so a crash mid-call is never silent."""
        if self.state not in (DeliveryState.SCHEDULED, DeliveryState.RETRYING):
            raise DeliveryRefused(f"cannot send a delivery that is {self.state}")
        self._claimed(attempt=self.attempts + 1, timestamp=at)

    def confirm_sent(self, external_ref: str, *, at: datetime) -> None:
        self._require_sending()
        self._sent(external_ref=external_ref, timestamp=at)

    def defer(self, reason: str, *, retry_at: datetime, at: datetime) -> None:
        self._require_sending()
        self._deferred(reason=reason, retry_at=retry_at, timestamp=at)

    def fail(self, reason: str, *, at: datetime) -> None:
        self._require_sending()
        self._failed(reason=reason, timestamp=at)

    def leave_unconfirmed(self, reason: str, *, at: datetime) -> None:
        self._require_sending()
        self._unconfirmed(reason=reason, timestamp=at)

    def requeue(self, *, actor: str, at: datetime) -> None:
        """An operator's decision to try again after a failure or an unconfirmed attempt."""
        if self.state not in (DeliveryState.FAILED, DeliveryState.UNCONFIRMED):
            raise DeliveryRefused(f"only a failed or unconfirmed delivery is requeued, not {self.state}")
        self._requeued(actor=actor, timestamp=at)

    def _require_sending(self) -> None:
        if self.state is not DeliveryState.SENDING:
            raise DeliveryRefused(f"no attempt is in progress; the delivery is {self.state}")

    @event(Claimed)
    def _claimed(self, attempt: int, timestamp: datetime) -> None:
        self.state = DeliveryState.SENDING
        self.attempts = attempt
        self.claimed_at = timestamp

    @event(Sent)
    def _sent(self, external_ref: str, timestamp: datetime) -> None:
        self.state = DeliveryState.SENT
        self.external_ref = external_ref
        self.last_error = None

    @event(Deferred)
    def _deferred(self, reason: str, retry_at: datetime, timestamp: datetime) -> None:
        self.state = DeliveryState.RETRYING
        self.retry_at = retry_at
        self.last_error = reason

    @event(Failed)
    def _failed(self, reason: str, timestamp: datetime) -> None:
        self.state = DeliveryState.FAILED
        self.last_error = reason

    @event(Unconfirmed)
    def _unconfirmed(self, reason: str, timestamp: datetime) -> None:
        self.state = DeliveryState.UNCONFIRMED
        self.last_error = reason

    @event(Requeued)
    def _requeued(self, actor: str, timestamp: datetime) -> None:
        self.state = DeliveryState.RETRYING
        self.retry_at = None


# The state each event leaves a delivery in, for readers that fold events without loading
# aggregates (the delivery board); a unit test holds it to the aggregate's own transitions.
STATE_AFTER: dict[type[Aggregate.Event], DeliveryState] = {
    Delivery.Scheduled: DeliveryState.SCHEDULED,
    Delivery.Claimed: DeliveryState.SENDING,
    Delivery.Sent: DeliveryState.SENT,
    Delivery.Deferred: DeliveryState.RETRYING,
    Delivery.Failed: DeliveryState.FAILED,
    Delivery.Unconfirmed: DeliveryState.UNCONFIRMED,
    Delivery.Requeued: DeliveryState.RETRYING,
}


class ReplyMessage(Aggregate):
    """Which complaint a message we published belongs to, so an author's answer to it is found."""

    class Published(Aggregate.Created):
        channel: str
        external_ref: str
        complaint_id: UUID

    @staticmethod
    def create_id(channel: str, external_ref: str) -> UUID:
        return uuid5(_MESSAGE_NAMESPACE, f"{channel}\x1f{external_ref}")

    @classmethod
    def publish(
        cls, *, channel: str, external_ref: str, complaint_id: UUID, at: datetime, recorded_ref: str | None = None
    ) -> "ReplyMessage":
        """``recorded_ref``: the reference as recorded when it differs from the one the id is
        derived from (sealed because it identifies a person)."""
        return cls._create(
            cls.Published,
            id=cls.create_id(channel, external_ref),
            timestamp=at,
            channel=channel,
            external_ref=recorded_ref or external_ref,
            complaint_id=complaint_id,
        )

    @event(Published)
    def __init__(self, channel: str, external_ref: str, complaint_id: UUID) -> None:
        self.channel = channel
        self.external_ref = external_ref
        self.complaint_id = complaint_id
