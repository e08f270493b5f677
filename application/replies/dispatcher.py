"""Sends due deliveries through their channel's gateway and records every outcome.

The guarantee, per send: the claim is recorded before the network is called and the
outcome after it, so a reply is recorded as sent exactly once. A process that dies between
the network's acceptance and the record leaves the delivery "sending"; once its lease runs
out the gateway is asked whether the reply arrived, and it is resent only when the network
shows that it did not. A send whose answer was lost (a read timeout) is treated the same
way. Where the network cannot tell (Telegram), the delivery is left "unconfirmed" for an
operator rather than risk a second message to the citizen.
"""

import logging
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta

from eventsourcing.persistence import IntegrityError

from application.backoff import Backoff
from application.channels import ChannelRefused, ChannelUnavailable, OutcomeUnknown
from application.clock import Clock
from application.personal_data import HIDDEN
from application.replies.gateway import Confirmation, OutgoingReply, ReplyGateway
from application.replies.heartbeat import NO_GATEWAY
from application.replies.process import Replies
from domain.delivery import Delivery, DeliveryState, ReplyMessage

log = logging.getLogger("mcu.replies")

INTERRUPTED = "the send was interrupted before the network accepted the reply"
FORGOTTEN = "the citizen was forgotten: where to reply is no longer readable"
UNKNOWABLE = "the send was interrupted and the network cannot tell whether the reply arrived"


class Dispatcher:
    def __init__(
        self,
        *,
        replies: Replies,
        gateways: Mapping[str, ReplyGateway],
        clock: Clock,
        backoff: Backoff,
        max_attempts: int,
        lease: timedelta,
    ) -> None:
        self.replies = replies
        self.gateways = dict(gateways)
        self.clock = clock
        self.backoff = backoff
        self.max_attempts = max_attempts
        self.lease = lease
        # Channel → why its last send did not go, until one goes: what the heartbeat tells.
        self.trouble: dict[str, str] = {}

    def dispatch(self) -> int:
        """One pass over the open deliveries; returns how many were acted on."""
        acted = 0
        now = self.clock.now()
        for delivery in self.replies.deliveries(DeliveryState.SCHEDULED, DeliveryState.RETRYING, DeliveryState.SENDING):
            if delivery.state is DeliveryState.SENDING:
                if delivery.claimed_at is not None and delivery.claimed_at + self.lease <= now:
                    self._recover(delivery)
                    acted += 1
            elif delivery.is_due(now):
                self._send(delivery)
                acted += 1
        return acted

    def _send(self, delivery: Delivery) -> None:
        now = self.clock.now()
        delivery.claim(at=now)
        try:
            self.replies.save(delivery)
        except IntegrityError:
            return  # another dispatcher claimed it first
        gateway = self.gateways.get(delivery.channel)
        if gateway is None:
            # Named in the heartbeat too: complaints may come from a channel no setting here takes
            # them from (an intake token, a webhook without the bot's token), and nobody would know.
            self.trouble[delivery.channel] = NO_GATEWAY
            self._fail(delivery, f"{NO_GATEWAY} for {delivery.channel}")
            return
        reply = self._reply(delivery)
        if reply is None:
            self._fail(delivery, FORGOTTEN)
            return
        try:
            external_ref = gateway.send(reply)
        except OutcomeUnknown as error:
            # Handled as a crash would be: the claim stands, and once the lease runs out the
            # network is asked whether the reply arrived.
            log.warning("delivery %s on %s: %s", delivery.id, delivery.channel, error.reason)
        except ChannelUnavailable as error:
            self._defer(delivery, error.reason, error.retry_after)
        except ChannelRefused as error:
            self.trouble[delivery.channel] = error.reason
            self._fail(delivery, error.reason)
        else:
            self._record_sent(delivery, external_ref)

    def _recover(self, delivery: Delivery) -> None:
        gateway = self.gateways.get(delivery.channel)
        if gateway is None:
            return  # the lease will be looked at again once a gateway is configured
        reply = self._reply(delivery)
        if reply is None:
            self._record(delivery, lambda d, at: d.leave_unconfirmed(FORGOTTEN, at=at))
            return
        try:
            found = gateway.confirm(reply)
        except ChannelUnavailable:
            return  # asked again on a later pass
        except ChannelRefused as error:
            self._fail(delivery, error.reason)
            return
        if found is Confirmation.NOT_SENT:
            self._record(delivery, lambda d, at: d.defer(INTERRUPTED, retry_at=at, at=at))
        elif found is Confirmation.UNKNOWABLE:
            self._record(delivery, lambda d, at: d.leave_unconfirmed(UNKNOWABLE, at=at))
        else:
            self._record_sent(delivery, found)

    def _defer(self, delivery: Delivery, reason: str, retry_after: float | None) -> None:
        if delivery.attempts >= self.max_attempts:
            self.trouble[delivery.channel] = reason
            self._fail(delivery, f"{reason}; gave up after {delivery.attempts} attempts")
            return
        delay = timedelta(seconds=self.backoff.delay(delivery.attempts, at_least=retry_after))
        self._record(delivery, lambda d, at: d.defer(reason, retry_at=at + delay, at=at))

    def _record_sent(self, delivery: Delivery, external_ref: str) -> None:
        # Our message in a private chat names the citizen as their own did: sealed alike. If
        # they were forgotten meanwhile it is recorded hidden, still found by its id (derived
        # from the plain reference) when they answer it.
        recorded = self._personal_data_alike(external_ref, like=delivery.source_ref)
        now = self.clock.now()
        delivery.confirm_sent(recorded, at=now)
        message = ReplyMessage.publish(
            channel=delivery.channel,
            external_ref=external_ref,
            recorded_ref=recorded,
            complaint_id=delivery.complaint_id,
            at=now,
        )
        self.replies.save(delivery, message)
        self.trouble.pop(delivery.channel, None)
        log.info("delivery %s sent on %s", delivery.id, delivery.channel)

    def _fail(self, delivery: Delivery, reason: str) -> None:
        self._record(delivery, lambda d, at: d.fail(reason, at=at))

    def _record(self, delivery: Delivery, step: Callable[[Delivery, datetime], None]) -> None:
        step(delivery, self.clock.now())
        self.replies.save(delivery)
        log.warning(
            "delivery %s on %s is %s: %s", delivery.id, delivery.channel, delivery.state.value, delivery.last_error
        )

    def _reply(self, delivery: Delivery) -> OutgoingReply | None:
        """The reply addressed as the channel knows the item; None once its citizen is forgotten."""
        personal_data = self.replies.complaints.personal_data
        source_ref = delivery.source_ref if personal_data is None else personal_data.open_ref(delivery.source_ref)
        if source_ref is None:
            return None
        return OutgoingReply(
            delivery_id=delivery.id,
            complaint_id=delivery.complaint_id,
            channel=delivery.channel,
            kind=delivery.kind.value,
            source_ref=source_ref,
            text=delivery.text,
        )

    def _personal_data_alike(self, value: str, *, like: str) -> str:
        personal_data = self.replies.complaints.personal_data
        if personal_data is None:
            return value
        sealed = personal_data.seal_alike(value, like)
        return HIDDEN if sealed is None else sealed
