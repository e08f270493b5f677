"""The complaint: one citizen's report of a city problem, from first post to resolution.

Every fact is an event. Each public command checks the lifecycle and its invariants first
and only then triggers the event, so a refused command records nothing. The moment of each
fact comes from the caller's clock (the ``at`` argument becomes the event's ``timestamp``);
nothing here reads the system time.
"""

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import InvalidComplaint, MoveRefused
from domain.lifecycle import ALLOWED, Move, Status
from domain.reaction import ReactionDeadline, ReactionPolicy, ResolutionDeadline
from domain.seal import GENESIS, seal_of
from domain.text import checked_text

MAX_TEXT_LENGTH = 10_000


class Channel(StrEnum):
    VK = "vk"
    OK = "ok"
    TELEGRAM = "telegram"
    GOSUSLUGI = "gosuslugi"
    WEB = "web"
    PHONE = "phone"
    OPEN311 = "open311"


def _required_text(value: str, what: str, *, single_line: bool = False) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidComplaint(f"{what} must not be empty")
    if len(value) > MAX_TEXT_LENGTH:
        raise InvalidComplaint(f"{what} is longer than {MAX_TEXT_LENGTH} characters")
    return checked_text(value, what, single_line=single_line)


def _required_line(value: str, what: str) -> str:
    return _required_text(value, what, single_line=True)


def _optional_line(value: str | None, what: str) -> str | None:
    return None if value is None else _required_line(value, what)


class AttachmentKind(StrEnum):
    PHOTO = "photo"
    DOCUMENT = "document"


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file the citizen attached, as its network names it: the network's own id, and the
    address it serves the file at when it gives one that carries no secret of ours."""

    kind: str
    ref: str
    url: str | None = None

    @classmethod
    def checked(cls, kind: str, ref: str, url: str | None) -> "Attachment":
        try:
            kind = AttachmentKind(kind).value
        except ValueError:
            known = ", ".join(k.value for k in AttachmentKind)
            raise InvalidComplaint(f"unknown attachment kind {kind!r}; known: {known}") from None
        return cls(kind, _required_line(ref, "the attachment's id"), _optional_line(url, "the attachment's address"))

    def recorded(self) -> dict[str, str | None]:
        return {"kind": self.kind, "ref": self.ref, "url": self.url}


def _aware(value: datetime, what: str) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidComplaint(f"{what} must carry a time zone")
    return value


class Complaint(Aggregate):
    class Event(Aggregate.Event):
        """Every fact carries its link in the complaint's hash chain."""

        seal: str

        def apply(self, aggregate: "Complaint") -> None:
            aggregate.seal = self.seal

    class Registered(Event, Aggregate.Created):
        channel: str
        source_ref: str
        author_ref: str
        text: str
        address: str | None
        category: str | None
        district: str | None
        received_at: datetime
        reaction_norm_seconds: int
        reaction_target_seconds: int
        resolution_period_seconds: int
        actor: str

    class ClarificationRequested(Event):
        question: str
        actor: str

    class Clarified(Event):
        text: str
        address: str | None
        actor: str

    class Rejected(Event):
        reason: str
        actor: str

    class Assigned(Event):
        organisation: str
        executor: str | None
        actor: str

    class Reassigned(Event):
        organisation: str
        executor: str | None
        previous_organisation: str
        actor: str

    class Responded(Event):
        text: str
        actor: str

    class Resolved(Event):
        text: str
        actor: str

    class Reopened(Event):
        reason: str
        actor: str

    class MarkedDuplicate(Event):
        original_id: UUID
        actor: str

    # Facts about the citizen's post on its network. They are not moves of the lifecycle: they
    # happen to the source whatever the complaint's state, and the problem stays reported.

    class SourceEdited(Event):
        text: str
        actor: str

    class SourceDeleted(Event):
        # Who deleted it: the author, or someone else (the community's moderator), whose
        # reference is recorded as the application gives it (sealed when it names a person).
        by_author: bool
        deleter: str | None
        actor: str

    class SourceRestored(Event):
        actor: str

    class Attached(Event):
        attachments: list[dict[str, str | None]]
        actor: str

    @classmethod
    def _create(cls, event_class: type[Any], *, id: UUID | None = None, **kwargs: Any) -> "Complaint":  # noqa: A002
        kwargs["seal"] = seal_of(GENESIS, id, cls.INITIAL_VERSION, event_class.__name__, kwargs)
        return super()._create(event_class, id=id, **kwargs)

    def trigger_event(self, event_class: type[Any], **kwargs: Any) -> None:
        kwargs["seal"] = seal_of(self.seal, self.id, self.version + 1, event_class.__name__, kwargs)
        super().trigger_event(event_class, **kwargs)

    @staticmethod
    def create_id(channel: str, source_ref: str, *, key: bytes) -> UUID:
        """The same post on the same channel is always the same complaint. The id is keyed:
        post ids and ПОС appeal numbers are public or sequential, and an id computed from
        them alone would let anyone who holds a token guess at other people's complaints."""
        digest = hmac.new(key, f"{channel}\x1f{source_ref}".encode(), hashlib.sha256).digest()
        return UUID(bytes=digest[:16], version=4)

    @classmethod
    def register(
        cls,
        *,
        channel: str,
        source_ref: str,
        author_ref: str,
        text: str,
        received_at: datetime,
        policy: ReactionPolicy,
        actor: str,
        at: datetime,
        address: str | None = None,
        category: str | None = None,
        district: str | None = None,
        id_key: bytes,
        recorded_source_ref: str | None = None,
    ) -> "Complaint":
        """``recorded_source_ref``: the reference as recorded when it differs from the one the
        id is derived from (sealed because it identifies a person)."""
        try:
            channel = Channel(channel).value
        except ValueError:
            known = ", ".join(c.value for c in Channel)
            raise InvalidComplaint(f"unknown channel {channel!r}; known: {known}") from None
        return cls._create(
            cls.Registered,
            id=cls.create_id(channel, _required_line(source_ref, "the source reference"), key=id_key),
            timestamp=_aware(at, "the registration time"),
            channel=channel,
            source_ref=recorded_source_ref or source_ref,
            author_ref=_required_line(author_ref, "the author reference"),
            text=_required_text(text, "the complaint text"),
            address=_optional_line(address, "the address"),
            category=_optional_line(category, "the category"),
            district=_optional_line(district, "the district"),
            received_at=_aware(received_at, "the publication time"),
            reaction_norm_seconds=int(policy.norm.total_seconds()),
            reaction_target_seconds=int(policy.target.total_seconds()),
            resolution_period_seconds=int(policy.resolution.total_seconds()),
            actor=_required_line(actor, "the actor"),
        )

    @event(Registered)
    def __init__(
        self,
        channel: str,
        source_ref: str,
        author_ref: str,
        text: str,
        address: str | None,
        category: str | None,
        district: str | None,
        received_at: datetime,
        reaction_norm_seconds: int,
        reaction_target_seconds: int,
        resolution_period_seconds: int,
        actor: str,
    ) -> None:
        self.channel = channel
        self.source_ref = source_ref
        self.author_ref = author_ref
        self.text = text
        self.address = address
        self.category = category
        self.district = district
        self.received_at = received_at
        self.policy = ReactionPolicy(
            norm=timedelta(seconds=reaction_norm_seconds),
            target=timedelta(seconds=reaction_target_seconds),
            resolution=timedelta(seconds=resolution_period_seconds),
        )
        self.status = Status.REGISTERED
        self.organisation: str | None = None
        self.executor: str | None = None
        self.clarification_question: str | None = None
        self.clarification: str | None = None
        self.rejection_reason: str | None = None
        self.responses: list[str] = []
        self.resolution: str | None = None
        self.reopen_count = 0
        self.duplicate_of: UUID | None = None
        self.reacted_at: datetime | None = None
        self.closed_at: datetime | None = None
        self.edited_text: str | None = None
        self.source_deleted = False
        self.attachments: tuple[Attachment, ...] = ()

    # Commands. Each checks first, then records one fact.

    def request_clarification(self, question: str, *, actor: str, at: datetime) -> None:
        self._check(Move.REQUEST_CLARIFICATION)
        self._clarification_requested(
            question=_required_text(question, "the question"),
            actor=_required_line(actor, "the actor"),
            timestamp=_aware(at, "the time"),
        )

    def clarify(self, text: str, *, address: str | None = None, actor: str, at: datetime) -> None:
        self._check(Move.CLARIFY)
        self._clarified(
            text=_required_text(text, "the clarification"),
            address=_optional_line(address, "the address"),
            actor=_required_line(actor, "the actor"),
            timestamp=_aware(at, "the time"),
        )

    def reject(self, reason: str, *, actor: str, at: datetime) -> None:
        self._check(Move.REJECT)
        self._rejected(
            reason=_required_text(reason, "the reason"),
            actor=_required_line(actor, "the actor"),
            timestamp=_aware(at, "the time"),
        )

    def assign(self, organisation: str, *, executor: str | None = None, actor: str, at: datetime) -> None:
        """Hands the complaint to the body that must act; a second hand-over is a reassignment."""
        organisation = _required_line(organisation, "the organisation")
        executor = _optional_line(executor, "the executor")
        actor = _required_line(actor, "the actor")
        at = _aware(at, "the time")
        if self.status in ALLOWED[Move.REASSIGN]:
            if (organisation, executor) == (self.organisation, self.executor):
                raise MoveRefused(Move.REASSIGN, self.status, f"it is already assigned to {organisation}")
            self._reassigned(
                organisation=organisation,
                executor=executor,
                previous_organisation=self.organisation,
                actor=actor,
                timestamp=at,
            )
        else:
            self._check(Move.ASSIGN)
            self._assigned(organisation=organisation, executor=executor, actor=actor, timestamp=at)

    def respond(self, text: str, *, actor: str, at: datetime) -> None:
        self._check(Move.RESPOND)
        self._responded(
            text=_required_text(text, "the response"),
            actor=_required_line(actor, "the actor"),
            timestamp=_aware(at, "the time"),
        )

    def resolve(self, text: str, *, actor: str, at: datetime) -> None:
        self._check(Move.RESOLVE)
        self._resolved(
            text=_required_text(text, "the resolution"),
            actor=_required_line(actor, "the actor"),
            timestamp=_aware(at, "the time"),
        )

    def reopen(self, reason: str, *, actor: str, at: datetime) -> None:
        self._check(Move.REOPEN)
        self._reopened(
            reason=_required_text(reason, "the reason"),
            actor=_required_line(actor, "the actor"),
            timestamp=_aware(at, "the time"),
        )

    def mark_duplicate(self, original_id: UUID, *, actor: str, at: datetime) -> None:
        self._check(Move.MARK_DUPLICATE)
        if original_id == self.id:
            raise InvalidComplaint("a complaint cannot be a duplicate of itself")
        self._marked_duplicate(
            original_id=original_id,
            actor=_required_line(actor, "the actor"),
            timestamp=_aware(at, "the time"),
        )

    # Facts about the source. Each answers whether it recorded anything: the networks deliver
    # the same edit, deletion or photo more than once, and a repeat changes nothing.

    def record_edit(self, text: str, *, actor: str, at: datetime) -> bool:
        text = _required_text(text, "the edited text")
        if text == (self.edited_text or self.text):
            return False
        self._source_edited(text=text, actor=_required_line(actor, "the actor"), timestamp=_aware(at, "the time"))
        return True

    def record_deletion(self, *, by_author: bool, deleter: str | None, actor: str, at: datetime) -> bool:
        if self.source_deleted:
            return False
        self._source_deleted(
            by_author=bool(by_author),
            deleter=_optional_line(deleter, "the deleter"),
            actor=_required_line(actor, "the actor"),
            timestamp=_aware(at, "the time"),
        )
        return True

    def record_restoration(self, *, actor: str, at: datetime) -> bool:
        if not self.source_deleted:
            return False
        self._source_restored(actor=_required_line(actor, "the actor"), timestamp=_aware(at, "the time"))
        return True

    def attach(self, attachments: list[Attachment], *, actor: str, at: datetime) -> bool:
        known = {(a.kind, a.ref) for a in self.attachments}
        new: dict[tuple[str, str], Attachment] = {}
        for given in attachments:
            attachment = Attachment.checked(given.kind, given.ref, given.url)
            if (attachment.kind, attachment.ref) not in known:
                new.setdefault((attachment.kind, attachment.ref), attachment)
        if not new:
            return False
        self._attached(
            attachments=[a.recorded() for a in new.values()],
            actor=_required_line(actor, "the actor"),
            timestamp=_aware(at, "the time"),
        )
        return True

    # Queries.

    @property
    def reaction(self) -> ReactionDeadline:
        return ReactionDeadline.starting(
            self.received_at,
            self.policy,
            reacted_at=self.reacted_at,
            stopped_at=self.closed_at if self.status is Status.DUPLICATE else None,
        )

    @property
    def resolution_deadline(self) -> ResolutionDeadline:
        return ResolutionDeadline(deadline=self.received_at + self.policy.resolution, closed_at=self.closed_at)

    # Facts. These run on record and on replay, so they only change state.

    @event(ClarificationRequested)
    def _clarification_requested(self, question: str, actor: str, timestamp: datetime) -> None:
        self.status = Status.CLARIFICATION_REQUESTED
        self.clarification_question = question
        self._reacted(timestamp)

    @event(Clarified)
    def _clarified(self, text: str, address: str | None, actor: str, timestamp: datetime) -> None:
        self.status = Status.REGISTERED
        self.clarification = text
        if address is not None:
            self.address = address

    @event(Rejected)
    def _rejected(self, reason: str, actor: str, timestamp: datetime) -> None:
        self.status = Status.REJECTED
        self.rejection_reason = reason
        self._reacted(timestamp)
        self.closed_at = timestamp

    @event(Assigned)
    def _assigned(self, organisation: str, executor: str | None, actor: str, timestamp: datetime) -> None:
        self.status = Status.ASSIGNED
        self.organisation = organisation
        self.executor = executor

    @event(Reassigned)
    def _reassigned(
        self,
        organisation: str,
        executor: str | None,
        previous_organisation: str,
        actor: str,
        timestamp: datetime,
    ) -> None:
        self.organisation = organisation
        self.executor = executor

    @event(Responded)
    def _responded(self, text: str, actor: str, timestamp: datetime) -> None:
        self.status = Status.RESPONDED
        self.responses = [*self.responses, text]
        self._reacted(timestamp)

    @event(Resolved)
    def _resolved(self, text: str, actor: str, timestamp: datetime) -> None:
        self.status = Status.RESOLVED
        self.resolution = text
        self.closed_at = timestamp

    @event(Reopened)
    def _reopened(self, reason: str, actor: str, timestamp: datetime) -> None:
        self.status = Status.ASSIGNED
        self.reopen_count += 1
        self.closed_at = None

    @event(MarkedDuplicate)
    def _marked_duplicate(self, original_id: UUID, actor: str, timestamp: datetime) -> None:
        self.status = Status.DUPLICATE
        self.duplicate_of = original_id
        self.closed_at = timestamp

    @event(SourceEdited)
    def _source_edited(self, text: str, actor: str, timestamp: datetime) -> None:
        self.edited_text = text

    @event(SourceDeleted)
    def _source_deleted(self, by_author: bool, deleter: str | None, actor: str, timestamp: datetime) -> None:
        self.source_deleted = True

    @event(SourceRestored)
    def _source_restored(self, actor: str, timestamp: datetime) -> None:
        self.source_deleted = False

    @event(Attached)
    def _attached(self, attachments: list[dict[str, str | None]], actor: str, timestamp: datetime) -> None:
        self.attachments = (
            *self.attachments,
            *(Attachment(str(a["kind"]), str(a["ref"]), a["url"]) for a in attachments),
        )

    def _reacted(self, at: datetime) -> None:
        # The first public reply to the citizen stops the reaction clock; later ones do not move it.
        if self.reacted_at is None:
            self.reacted_at = at

    def _check(self, move: Move) -> None:
        if self.status not in ALLOWED[move]:
            raise MoveRefused(move, self.status)


# The facts about the citizen's post on its network, which change no state of the lifecycle.
SOURCE_FACTS = frozenset(
    {Complaint.SourceEdited, Complaint.SourceDeleted, Complaint.SourceRestored, Complaint.Attached}
)
