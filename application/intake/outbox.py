"""The intake outbox: posts a webhook received, recorded before the network is answered.

A webhook answers ``ok`` (VK) or 200 (Telegram) only after the post is recorded here, so a
post the network believes delivered is never lost. The process that received it takes it at
once, from a queue in memory; if that process dies, or taking fails, any process's sweep takes
it once it has waited the lease. Taking is recorded on the entry, once: intake is idempotent
per post, so a post taken twice (a sweep racing its receiver) changes nothing the second
time, and only the first records it taken.

The author's reference, and the post's reference where it names a person (a private chat),
are personal data: they are kept sealed under the citizen's own key, as in the complaint's
events, so forgetting the citizen reaches this record too.
"""

import logging
import threading
from collections import deque
from collections.abc import Callable
from datetime import datetime, timedelta
from time import monotonic
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event
from eventsourcing.persistence import IntegrityError
from eventsourcing.utils import get_topic

from application.clock import Clock
from application.commands import AttachmentRef
from application.intake.flow import Intake
from application.intake.records import IntakeRecords, LogFold
from application.intake.source import Change, Post, Removal
from application.personal_data import AuthorDetails, Origin, PersonalData, SealedOrigin
from domain.errors import DomainError

log = logging.getLogger("mcu.intake.outbox")
_NAMESPACE = uuid5(NAMESPACE_URL, "urn:mcu:received-post")
# What an entry is taken as when its author was forgotten before it was taken.
FORGOTTEN = "forgotten"
REFUSED = "refused"
# The change a deletion is recorded as; a Removal has no text, and its author is the deleter.
_DELETED = "deleted"


class ReceivedPost(Aggregate):
    class Received(Aggregate.Created):
        # 2: an entry may be a change of a post (an edit, a restore, a deletion, whose
        # ``author`` is the deleter) and carries the post's attachments and album.
        class_version = 2

        channel: str
        source_ref: str
        author: str
        text: str
        published_at: datetime
        reply_to: list[str]
        address_hint: str | None
        change: str | None
        attachments: list[dict[str, str | None]]
        album: str | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state.update(change=None, attachments=[], album=None)

    class Taken(Aggregate.Event):
        outcome: str

    @staticmethod
    def create_id(channel: str, source_ref: str, *, change: str | None = None, revision: str | None = None) -> UUID:
        # A new post is one entry however often it comes; each change of it is one more.
        if change is None:
            return uuid5(_NAMESPACE, f"{channel}\x1f{source_ref}")
        return uuid5(_NAMESPACE, f"{channel}\x1f{source_ref}\x1f{change}\x1f{revision or ''}")

    @classmethod
    def receive(
        cls, item: Post | Removal, *, sealed: SealedOrigin, reply_to: list[str], at: datetime
    ) -> "ReceivedPost":
        if isinstance(item, Removal):
            change, text, published_at, hint, attachments, album = _DELETED, "", at, None, [], None
        else:
            change = item.change.value if item.change is not None else None
            text, published_at, hint, album = item.text, item.published_at, item.address_hint, item.album
            attachments = [{"kind": a.kind, "ref": a.ref, "url": a.url} for a in item.attachments]
        return cls._create(
            cls.Received,
            id=cls.create_id(item.channel, item.source_ref, change=change, revision=item.revision),
            timestamp=at,
            channel=item.channel,
            source_ref=sealed.source_ref,
            author=sealed.author_ref,
            text=text,
            published_at=published_at,
            reply_to=reply_to,
            address_hint=hint,
            change=change,
            attachments=attachments,
            album=album,
        )

    @event(Received)
    def __init__(
        self,
        channel: str,
        source_ref: str,
        author: str,
        text: str,
        published_at: datetime,
        reply_to: list[str],
        address_hint: str | None,
        change: str | None,
        attachments: list[dict[str, str | None]],
        album: str | None,
    ) -> None:
        self.channel = channel
        self.source_ref = source_ref
        self.author = author
        self.text = text
        self.published_at = published_at
        self.reply_to = tuple(reply_to)
        self.address_hint = address_hint
        self.change = change
        self.attachments = tuple(AttachmentRef(str(a["kind"]), str(a["ref"]), a["url"]) for a in attachments)
        self.album = album
        self.outcome: str | None = None

    def post(self, *, source_ref: str, author_ref: str, reply_to: tuple[str, ...]) -> Post | Removal:
        if self.change == _DELETED:
            return Removal(self.channel, source_ref, author_ref or None, revision="")
        return Post(
            channel=self.channel,
            source_ref=source_ref,
            author_ref=author_ref,
            text=self.text,
            published_at=self.published_at,
            reply_to=reply_to,
            address_hint=self.address_hint,
            attachments=self.attachments,
            album=self.album,
            change=Change(self.change) if self.change is not None else None,
        )

    def take(self, outcome: str, *, at: datetime) -> None:
        self._taken(outcome=outcome, timestamp=at)

    @event(Taken)
    def _taken(self, outcome: str, timestamp: datetime) -> None:
        self.outcome = outcome


class Outbox:
    def __init__(
        self, records: IntakeRecords, *, personal_data: PersonalData | None, clock: Clock, lease: timedelta
    ) -> None:
        self.records = records
        self.personal_data = personal_data
        self.clock = clock
        self.lease = lease
        self._waiting = _Waiting(records)

    def record(self, item: Post | Removal) -> UUID | None:
        """Records a received post, or a change of one, durably; None when it had been received before."""
        if isinstance(item, Removal):
            author, answered = item.deleter_ref or "", ()
        else:
            author, answered = item.author_ref, item.reply_to
        sealed = self._sealed(item.channel, item.source_ref, author)
        # The messages it answers are in the same chat: sealed alike where the chat names a person.
        alike = (self._sealed_alike(ref, sealed.source_ref) for ref in answered)
        reply_to = [ref for ref in alike if ref is not None]
        entry = ReceivedPost.receive(item, sealed=sealed, reply_to=reply_to, at=self.clock.now())
        try:
            self.records.save(entry)
        except IntegrityError:
            return None
        return entry.id

    def take(self, entry_id: UUID, intake: Intake) -> bool:
        """Takes one recorded post into intake; False when it had been taken already."""
        entry = self.records.repository.get(entry_id)
        if entry.outcome is not None:
            return False
        author, source_ref, reply_to = self._opened(entry)
        if author is None or source_ref is None:
            outcome = FORGOTTEN
        else:
            post = entry.post(source_ref=source_ref, author_ref=author.ref, reply_to=reply_to)
            try:
                outcome = intake.receive(post).outcome.value
            except DomainError as error:
                # Refused for good (empty, dated in the future): taking it again would be refused too.
                log.warning("a %s post was refused: %s", entry.channel, type(error).__name__)
                outcome = REFUSED
        entry.take(outcome, at=self.clock.now())
        try:
            self.records.save(entry)
        except IntegrityError:
            return False
        return True

    # Sealed as the complaint service seals authors, and left plain where it does (no key store).

    def _sealed(self, channel: str, source_ref: str, author_ref: str) -> SealedOrigin:
        if self.personal_data is None:
            return SealedOrigin(author_ref=author_ref, source_ref=source_ref)
        origin = Origin(channel=channel, source_ref=source_ref, author=AuthorDetails(ref=author_ref))
        return self.personal_data.seal([origin])[0]

    def _sealed_alike(self, ref: str, like: str) -> str | None:
        # None once the citizen was forgotten: nothing of theirs is recorded plain.
        return self.personal_data.seal_alike(ref, like) if self.personal_data else ref

    def _opened(self, entry: ReceivedPost) -> tuple[AuthorDetails | None, str | None, tuple[str, ...]]:
        if self.personal_data is None:
            return AuthorDetails(ref=entry.author), entry.source_ref, entry.reply_to
        opened = (self.personal_data.open_ref(ref) for ref in entry.reply_to)
        reply_to = tuple(ref for ref in opened if ref is not None)
        return self.personal_data.open(entry.author), self.personal_data.open_ref(entry.source_ref), reply_to

    def overdue(self) -> list[UUID]:
        """Entries not taken within the lease of their receipt, oldest first."""
        due = self.clock.now() - self.lease
        return [entry_id for entry_id, received in self._waiting.entries() if received <= due]

    def waiting(self) -> int:
        """How many recorded posts are not taken yet."""
        return len(self._waiting.entries())


class _Waiting(LogFold):
    """The entries not yet taken, folded from the intake store's log, so a sweep never loads
    every entry ever received."""

    topics = (get_topic(ReceivedPost.Received), get_topic(ReceivedPost.Taken))

    def __init__(self, records: IntakeRecords) -> None:
        super().__init__(records)
        self._received: dict[UUID, datetime] = {}

    def fold(self, domain_event: Any) -> None:
        if isinstance(domain_event, ReceivedPost.Received):
            self._received[domain_event.originator_id] = domain_event.timestamp
        else:
            self._received.pop(domain_event.originator_id, None)

    def entries(self) -> list[tuple[UUID, datetime]]:
        with self.lock:
            self.caught_up()
            return sorted(self._received.items(), key=lambda item: item[1])


class IntakeWorker:
    """Takes the posts the webhooks recorded: at once those handed to it by this process, and
    those left behind (a killed process, a failed attempt) by any process, past their lease."""

    def __init__(self, outbox: Outbox, intake: Callable[[], Intake], *, sweep_seconds: float = 1.0) -> None:
        self.outbox = outbox
        self._intake = intake
        self.sweep_seconds = sweep_seconds
        self._queue: deque[UUID] = deque()
        self._held: set[UUID] = set()
        self._changed = threading.Condition()

    def hand(self, entry_id: UUID) -> None:
        """A post this process recorded, to be taken as soon as the ones before it."""
        with self._changed:
            self._queue.append(entry_id)
            self._held.add(entry_id)
            self._changed.notify_all()

    def take_next(self, wait: float = 0.0) -> bool:
        """Takes the next handed post; False when none came within ``wait`` seconds."""
        with self._changed:
            if not self._queue and not self._changed.wait_for(lambda: bool(self._queue), timeout=wait):
                return False
            entry_id = self._queue.popleft()
        try:
            self._take(entry_id)
        finally:
            with self._changed:
                self._held.discard(entry_id)
                self._changed.notify_all()
        return True

    def sweep(self) -> int:
        """Takes every overdue entry no one in this process holds; returns how many it took."""
        with self._changed:
            held = set(self._held)
        return sum(self._take(entry_id) for entry_id in self.outbox.overdue() if entry_id not in held)

    def idle(self, timeout: float) -> bool:
        """Waits until every handed post is taken (or failed); False if that took longer."""
        with self._changed:
            return self._changed.wait_for(lambda: not self._held, timeout=timeout)

    def run(self, stop: threading.Event, tick: float = 0.2) -> None:
        next_sweep = 0.0
        while not stop.is_set():
            # Posts handed here come first; a busy worker leaves others' leftovers to idle ones.
            if self.take_next(wait=tick):
                continue
            if monotonic() >= next_sweep:
                try:
                    self.sweep()
                except Exception as error:  # noqa: BLE001 - the loop outlives a failed sweep
                    log.error("an intake sweep failed (%s); retrying", type(error).__name__)
                next_sweep = monotonic() + self.sweep_seconds
        # A graceful stop finishes what this process was handed; a kill leaves it to a sweep.
        while self.take_next():
            pass

    def _take(self, entry_id: UUID) -> bool:
        try:
            return self.outbox.take(entry_id, self._intake())
        except Exception as error:  # noqa: BLE001 - the entry stays recorded; a sweep takes it later
            # Only the type: messages may quote a citizen's text.
            log.error("a received post was not taken (%s); it will be after its lease", type(error).__name__)
            return False
