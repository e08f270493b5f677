"""The reply process: each complaint event the author must hear about becomes a delivery.

It follows the complaint service's events; scheduling a delivery is recorded together with
the position of the event that caused it, so every such event yields exactly one delivery,
whatever the restarts.
"""

import threading
from bisect import bisect_right
from collections.abc import Collection
from dataclasses import dataclass
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, ProcessingEvent
from eventsourcing.projection import EventSourcedProjection
from eventsourcing.utils import EnvType, get_topic

from application.clock import Clock, SystemClock
from application.complaints import ComplaintService
from application.countersign import Countersigned
from domain.complaint import Channel, Complaint
from domain.delivery import (
    STATE_AFTER,
    Delivery,
    DeliveryState,
    ReplyKind,
    ReplyMessage,
)

_KINDS: dict[type, ReplyKind] = {
    Complaint.ClarificationRequested: ReplyKind.CLARIFICATION_REQUEST,
    Complaint.Responded: ReplyKind.RESPONSE,
    Complaint.Resolved: ReplyKind.RESOLUTION,
}
# Channels where the author is reachable on the thread they wrote in. Web, phone and Open311
# authors are answered by their own means, outside this process.
REPLY_CHANNELS = frozenset({Channel.VK, Channel.OK, Channel.TELEGRAM, Channel.GOSUSLUGI})


def citizen_text(text: str, complaint_id: UUID) -> str:
    """The reply as published: with the complaint's number, which the author can quote, and
    which makes each published reply unique in its thread, so it can be found there again."""
    return f"{text}\n\nНомер обращения: {str(complaint_id)[:8]}"


@dataclass(frozen=True, slots=True)
class DeliveryPage:
    items: list[Delivery]
    next_after: int | None  # where the next page starts; None after the last


class DeliveryNotFound(LookupError):
    def __init__(self, delivery_id: UUID) -> None:
        self.delivery_id = delivery_id
        super().__init__(f"no delivery with id {delivery_id}")


class Replies(Countersigned, EventSourcedProjection[UUID]):
    name = "Replies"
    topics = tuple(get_topic(event_class) for event_class in _KINDS)

    def __init__(
        self,
        env: EnvType | None = None,
        *,
        complaints: ComplaintService,
        clock: Clock | None = None,
    ) -> None:
        super().__init__(env)
        self.complaints = complaints
        self.clock = clock or SystemClock()
        self.board = DeliveryBoard(self)

    def policy(self, domain_event: object, processing_event: ProcessingEvent[UUID]) -> None:
        kind = _KINDS.get(type(domain_event))
        if kind is None:
            return
        complaint_id = domain_event.originator_id
        version = domain_event.originator_version
        complaint = self.complaints.repository.get(complaint_id, version=version)
        if complaint.channel not in REPLY_CHANNELS:
            return
        said = domain_event.question if kind is ReplyKind.CLARIFICATION_REQUEST else domain_event.text
        processing_event.collect_events(
            Delivery.schedule(
                complaint_id=complaint_id,
                complaint_version=version,
                kind=kind,
                channel=complaint.channel,
                source_ref=complaint.source_ref,
                text=citizen_text(said, complaint_id),
                at=domain_event.timestamp,
            )
        )

    def delivery(self, delivery_id: UUID) -> Delivery:
        try:
            found = self.repository.get(delivery_id)
        except AggregateNotFoundError:
            raise DeliveryNotFound(delivery_id) from None
        if not isinstance(found, Delivery):
            raise DeliveryNotFound(delivery_id)
        return found

    def deliveries(self, *states: DeliveryState) -> list[Delivery]:
        self.board.refresh()
        return [self.delivery(delivery_id) for delivery_id in self.board.ids(*states)]

    def delivery_page(self, *states: DeliveryState, limit: int, after: int | None = None) -> DeliveryPage:
        """The deliveries standing in those states, oldest scheduled first, ``limit`` at most,
        from after the place the last page ended (its ``next_after``): a delivery that moves
        to another state between pages is neither shown twice nor makes another skipped."""
        self.board.refresh()
        ids, next_after = self.board.page(states, limit=limit, after=after)
        return DeliveryPage([self.delivery(delivery_id) for delivery_id in ids], next_after)

    def delivery_counts(self) -> dict[DeliveryState, int]:
        """How many deliveries stand in each state, every state named (0 for none)."""
        self.board.refresh()
        return self.board.counts()

    def requeue(self, delivery_id: UUID, *, actor: str) -> Delivery:
        delivery = self.delivery(delivery_id)
        delivery.requeue(actor=actor, at=self.clock.now())
        self.save(delivery)
        return delivery

    def complaint_for_message(self, channel: str, external_ref: str) -> UUID | None:
        try:
            message = self.repository.get(ReplyMessage.create_id(channel, external_ref))
        except AggregateNotFoundError:
            return None
        return message.complaint_id if isinstance(message, ReplyMessage) else None


class DeliveryBoard:
    """Where every delivery stands, folded from the delivery events read so far.

    Kept in memory and brought up to date incrementally, so finding the due or failed
    deliveries never loads every aggregate. Each delivery keeps its place in the order it was
    scheduled in (its first event's position in the replies' log), which pages are cut by.
    """

    _TOPICS = tuple(get_topic(event_class) for event_class in STATE_AFTER)
    _PAGE = 500

    def __init__(self, replies: Replies) -> None:
        self._replies = replies
        self._position: int | None = None
        self._states: dict[UUID, DeliveryState] = {}
        # Ascending, as the log is read: where each delivery was scheduled, and which it is.
        self._scheduled_at: list[int] = []
        self._scheduled: list[UUID] = []
        self._lock = threading.Lock()

    def refresh(self) -> None:
        with self._lock:
            while True:
                notifications = self._replies.recorder.select_notifications(
                    start=self._position,
                    limit=self._PAGE,
                    topics=self._TOPICS,
                    inclusive_of_start=self._position is None,
                )
                for notification in notifications:
                    domain_event = self._replies.mapper.to_domain_event(notification)
                    if domain_event.originator_id not in self._states:
                        self._scheduled_at.append(notification.id)
                        self._scheduled.append(domain_event.originator_id)
                    self._states[domain_event.originator_id] = STATE_AFTER[type(domain_event)]
                    self._position = notification.id
                if len(notifications) < self._PAGE:
                    return

    def ids(self, *states: DeliveryState) -> list[UUID]:
        with self._lock:
            return [delivery_id for delivery_id, state in self._states.items() if state in states]

    def page(
        self, states: Collection[DeliveryState], *, limit: int, after: int | None
    ) -> tuple[list[UUID], int | None]:
        """Up to ``limit`` ids in those states scheduled after ``after``, and where the next
        page starts if any delivery in those states follows."""
        found: list[UUID] = []
        last = after
        with self._lock:
            start = 0 if after is None else bisect_right(self._scheduled_at, after)
            for index in range(start, len(self._scheduled)):
                delivery_id = self._scheduled[index]
                if self._states[delivery_id] not in states:
                    continue
                if len(found) == limit:
                    return found, last
                found.append(delivery_id)
                last = self._scheduled_at[index]
        return found, None

    def counts(self) -> dict[DeliveryState, int]:
        counts = dict.fromkeys(DeliveryState, 0)
        with self._lock:
            for state in self._states.values():
                counts[state] += 1
        return counts
