"""The complaint service: it takes the commands of application/commands.py and answers plain values."""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import singledispatchmethod
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application, ProcessingEvent
from eventsourcing.persistence import IntegrityError, Transcoder
from eventsourcing.utils import EnvType

from application.clock import Clock, SystemClock
from application.commands import (
    Assign,
    Attach,
    Clarify,
    ComplaintCommand,
    MarkDuplicate,
    RecordDeletion,
    RecordEdit,
    RecordRestoration,
    Register,
    Reject,
    Reopen,
    RequestClarification,
    Resolve,
    Respond,
)
from application.countersign import CountersigningTranscoder
from application.errors import Busy, ComplaintNotFound, StaleVersion
from application.personal_data import HIDDEN, AuthorDetails, Origin, PersonalData, SealedOrigin
from application.views import ComplaintView
from domain.complaint import Attachment, Complaint
from domain.errors import DomainError, OutOfTime, SourceTaken
from domain.reaction import ReactionPolicy

# Clocks on phones and social networks drift; a post "from the future" beyond this is bad input.
CLOCK_SKEW_TOLERANCE = timedelta(minutes=5)
# A complaint is answered within hours and resolved within a month: a post older than this is
# a mistyped year or a timestamp read wrongly.
OLDEST_PUBLICATION = timedelta(days=365)
# Without an expected version a command is re-applied to the latest state this many times
# when another writer wins the race; the lifecycle rules are checked again on each attempt.
_RETRIES = 5


@dataclass(frozen=True, slots=True)
class Registration:
    complaint_id: UUID
    created: bool
    # The new complaint's state, so the caller need not read back what it just wrote.
    view: ComplaintView | None = None


@dataclass(frozen=True, slots=True)
class _Post:
    """What tells one post from another under the same reference: a network's retry of a
    delivery brings the same text of the same moment; another citizen's post does not."""

    text: str
    received_at: datetime

    @classmethod
    def of(cls, complaint: Complaint) -> "_Post":
        return cls(complaint.text, complaint.received_at)


def _repeat(complaint_id: UUID, recorded: _Post, again: _Post) -> Registration | SourceTaken:
    return Registration(complaint_id, created=False) if recorded == again else SourceTaken(complaint_id)


class ComplaintService(Application[UUID]):
    name = "Complaints"

    def __init__(
        self,
        env: EnvType | None = None,
        *,
        clock: Clock | None = None,
        policy: ReactionPolicy | None = None,
        countersign_key: bytes | None = None,
        id_key: bytes | None = None,
        personal_data: PersonalData | None = None,
    ) -> None:
        # Defaults let the library's runners construct the service from env alone; such a
        # reader never records, so it needs neither the countersigning key nor the id key.
        self._countersign_key = countersign_key
        self._id_key = id_key
        self.personal_data = personal_data
        super().__init__(env)
        self.clock = clock or SystemClock()
        self.policy = policy or ReactionPolicy()

    def construct_transcoder(self) -> Transcoder:
        if self._countersign_key is None:
            return super().construct_transcoder()
        transcoder = CountersigningTranscoder(self._countersign_key)
        self.register_transcodings(transcoder)
        return transcoder

    def id_of(self, channel: str, source_ref: str) -> UUID:
        """The id of the complaint registered, or to be registered, for this post."""
        return Complaint.create_id(channel, source_ref, key=self.id_key)

    @property
    def id_key(self) -> bytes:
        if self._id_key is None:
            raise RuntimeError("this complaint service reads only: it was built without the id key")
        return self._id_key

    def register(self, command: Register) -> Registration:
        """Registers a post once: the same post again returns its complaint; another post under
        the same (channel, source reference) is refused with SourceTaken.

        The author's reference and contacts are recorded only encrypted under the citizen's key.
        """
        (outcome,) = self.register_many([command])
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    def register_many(
        self, commands: Sequence[Register], *, with_views: bool = True
    ) -> list[Registration | DomainError]:
        """Registers many posts in one transaction, with the rules of single registration.

        A refused registration is returned in its place and the others are still recorded; a
        post already registered (before, concurrently or earlier in the same batch) returns
        the existing complaint, and another post under its reference SourceTaken. The
        transaction is optimistic: repeats are rare, so instead of reading before writing, a
        conflict sets the repeats aside and the rest is saved again.
        """
        now = self.clock.now()
        outcomes: list[Registration | DomainError | None] = [None] * len(commands)
        new: dict[UUID, tuple[int, Register, SealedOrigin]] = {}
        complaints: dict[UUID, Complaint] = {}
        posts: dict[UUID, _Post] = {}
        for index, (command, sealed) in enumerate(zip(commands, self._sealed_origins(commands), strict=True)):
            try:
                complaint = self._new_complaint(command, sealed, now)
            except DomainError as refused:
                outcomes[index] = refused
                continue
            if complaint.id in new:
                outcomes[index] = _repeat(complaint.id, posts[complaint.id], _Post.of(complaint))
            else:
                new[complaint.id] = (index, command, sealed)
                complaints[complaint.id] = complaint
                posts[complaint.id] = _Post.of(complaint)
        while new:
            if not complaints:
                # A failed save has already taken the pending events: build the rest afresh.
                complaints = {
                    cid: self._new_complaint(command, sealed, now) for cid, (_, command, sealed) in new.items()
                }
            try:
                self._save_new(complaints.values())
            except IntegrityError:
                existing = [complaint_id for complaint_id in new if complaint_id in self.repository]
                if not existing:
                    raise
                for complaint_id in existing:
                    index, _, _ = new.pop(complaint_id)
                    recorded = _Post.of(self.repository.get(complaint_id))
                    outcomes[index] = _repeat(complaint_id, recorded, posts[complaint_id])
                complaints = {}
                continue
            for complaint_id, complaint in complaints.items():
                view = ComplaintView.of(complaint, now) if with_views else None
                outcomes[new[complaint_id][0]] = Registration(complaint_id, created=True, view=view)
            break
        return [outcome for outcome in outcomes if outcome is not None]

    def _save_new(self, complaints: Iterable[Complaint]) -> None:
        """``save`` for complaints just built: ``Application.save`` first tests every object
        against two runtime-checkable Protocols, which on Python 3.11 cost as much as
        encoding the event; these are known to be aggregates, so their events go straight on,
        through the steps ``save`` itself takes after its checks (protected: the library has
        no public save without them)."""
        processing_event: ProcessingEvent[UUID] = ProcessingEvent()
        for complaint in complaints:
            processing_event.events.extend(complaint.collect_events())
            processing_event.aggregates[complaint.id] = complaint
        recordings = self._record(processing_event)
        self._take_snapshots(processing_event)
        self._notify(recordings)

    def _sealed_origins(self, commands: Sequence[Register]) -> list[SealedOrigin]:
        """Each command's author and source reference as recorded: the author encrypted unless
        blank (which the domain refuses), the reference when it identifies a person."""
        as_given = [SealedOrigin(author_ref=c.author_ref, source_ref=c.source_ref) for c in commands]
        if self.personal_data is None:
            return as_given
        origins = {
            index: Origin(
                channel=c.channel,
                source_ref=c.source_ref,
                author=AuthorDetails(ref=c.author_ref, name=c.author_name, phone=c.author_phone, email=c.author_email),
            )
            for index, c in enumerate(commands)
            if c.author_ref.strip()
        }
        sealed = dict(zip(origins, self.personal_data.seal(list(origins.values())), strict=True))
        return [sealed.get(index, given) for index, given in enumerate(as_given)]

    def _new_complaint(self, command: Register, sealed: SealedOrigin, now: datetime) -> Complaint:
        if command.received_at.tzinfo is not None:
            if command.received_at > now + CLOCK_SKEW_TOLERANCE:
                raise OutOfTime("the publication time is in the future")
            if command.received_at < now - OLDEST_PUBLICATION:
                raise OutOfTime("the publication time is more than a year ago")
        return Complaint.register(
            channel=command.channel,
            # The id is derived from the reference as the channel gives it; what is recorded
            # is the sealed one when it identifies a person.
            source_ref=command.source_ref,
            recorded_source_ref=sealed.source_ref,
            id_key=self.id_key,
            author_ref=sealed.author_ref,
            text=command.text,
            received_at=command.received_at,
            policy=self.policy,
            actor=command.actor,
            at=now,
            address=command.address,
            category=command.category,
            district=command.district,
        )

    @singledispatchmethod
    def handle(self, command: ComplaintCommand) -> ComplaintView:
        """Applies one move to the complaint and answers its new state. Without an expected
        version the move is re-applied to the latest state when another writer wins the race,
        the lifecycle rules checked again on each attempt."""
        raise TypeError(f"{type(command).__name__} is not a move the complaint service handles")

    @handle.register
    def _request_clarification(self, command: RequestClarification) -> ComplaintView:
        return self._change(
            command, lambda c, at: c.request_clarification(command.question, actor=command.actor, at=at)
        )

    @handle.register
    def _clarify(self, command: Clarify) -> ComplaintView:
        return self._change(
            command, lambda c, at: c.clarify(command.text, address=command.address, actor=command.actor, at=at)
        )

    @handle.register
    def _reject(self, command: Reject) -> ComplaintView:
        return self._change(command, lambda c, at: c.reject(command.reason, actor=command.actor, at=at))

    @handle.register
    def _assign(self, command: Assign) -> ComplaintView:
        return self._change(
            command,
            lambda c, at: c.assign(command.organisation, executor=command.executor, actor=command.actor, at=at),
        )

    @handle.register
    def _respond(self, command: Respond) -> ComplaintView:
        return self._change(command, lambda c, at: c.respond(command.text, actor=command.actor, at=at))

    @handle.register
    def _resolve(self, command: Resolve) -> ComplaintView:
        return self._change(command, lambda c, at: c.resolve(command.text, actor=command.actor, at=at))

    @handle.register
    def _reopen(self, command: Reopen) -> ComplaintView:
        return self._change(command, lambda c, at: c.reopen(command.reason, actor=command.actor, at=at))

    @handle.register
    def _mark_duplicate(self, command: MarkDuplicate) -> ComplaintView:
        if not self._exists(command.original_id):
            raise ComplaintNotFound(command.original_id)
        return self._change(command, lambda c, at: c.mark_duplicate(command.original_id, actor=command.actor, at=at))

    @handle.register
    def _record_edit(self, command: RecordEdit) -> ComplaintView:
        return self._change(command, lambda c, at: c.record_edit(command.text, actor=command.actor, at=at))

    @handle.register
    def _record_deletion(self, command: RecordDeletion) -> ComplaintView:
        def delete(complaint: Complaint, at: datetime) -> None:
            deleter = command.deleter_ref
            author = self._opened_author(complaint)
            by_author = deleter is not None and author is not None and author.ref == deleter
            complaint.record_deletion(
                by_author=by_author,
                deleter=None if deleter is None or by_author else self._sealed_like_author(deleter, complaint),
                actor=command.actor,
                at=at,
            )

        return self._change(command, delete)

    @handle.register
    def _record_restoration(self, command: RecordRestoration) -> ComplaintView:
        return self._change(command, lambda c, at: c.record_restoration(actor=command.actor, at=at))

    @handle.register
    def _attach(self, command: Attach) -> ComplaintView:
        attachments = [Attachment(a.kind, a.ref, a.url) for a in command.attachments]
        return self._change(command, lambda c, at: c.attach(attachments, actor=command.actor, at=at))

    def _opened_author(self, complaint: Complaint) -> AuthorDetails | None:
        if self.personal_data is None:
            return AuthorDetails(ref=complaint.author_ref)
        return self.personal_data.open(complaint.author_ref)

    def _sealed_like_author(self, ref: str, complaint: Complaint) -> str:
        """Another person's reference in a citizen's complaint (the moderator who deleted the
        post): sealed under the citizen's key like the author, so forgetting reaches it too."""
        if self.personal_data is None:
            return ref
        return self.personal_data.seal_alike(ref, complaint.author_ref) or HIDDEN

    def author_of(self, complaint_id: UUID) -> AuthorDetails | None:
        """For the service's own processes (replies, matching a thread's author); people read
        personal data through PersonalDataAccess, which records each read."""
        return self._opened_author(self._load(complaint_id))

    def get(self, complaint_id: UUID) -> ComplaintView:
        return ComplaintView.of(self._load(complaint_id), self.clock.now())

    def _change(self, command: ComplaintCommand, apply: Callable[[Complaint, datetime], None]) -> ComplaintView:
        complaint_id, expected_version = command.complaint_id, command.expected_version
        for _ in range(_RETRIES):
            complaint = self._load(complaint_id)
            if expected_version is not None and complaint.version != expected_version:
                raise StaleVersion(complaint_id, expected_version, complaint.version)
            now = self.clock.now()
            apply(complaint, now)
            try:
                self.save(complaint)
            except IntegrityError:
                if expected_version is not None:
                    raise StaleVersion(complaint_id, expected_version, None) from None
                continue
            return ComplaintView.of(complaint, now)
        raise Busy(f"complaint {complaint_id} is being changed by others; try again")

    def _load(self, complaint_id: UUID) -> Complaint:
        try:
            return self.repository.get(complaint_id)
        except AggregateNotFoundError:
            raise ComplaintNotFound(complaint_id) from None

    def _exists(self, complaint_id: UUID) -> bool:
        return complaint_id in self.repository
