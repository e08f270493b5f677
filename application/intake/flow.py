"""The intake flow: screen a post, register it, ask for the address or route it.

Every step is safe to repeat: the same post arrives by webhook and again by polling, and a
worker may stop between any two steps; the next delivery of the post picks up where the
complaint stands instead of starting over.
"""

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import timedelta
from enum import StrEnum
from typing import Protocol
from uuid import UUID

from application.commands import (
    Assign,
    Attach,
    Clarify,
    RecordDeletion,
    RecordEdit,
    RecordRestoration,
    Register,
    RequestClarification,
)
from application.complaints import ComplaintService, Registration
from application.errors import ComplaintNotFound
from application.intake.records import IntakeRecords
from application.intake.routing import RoutingTable
from application.intake.source import Change, Post, Removal
from application.triage import Address, Triage, TriageVerdict
from application.views import ComplaintView
from domain.errors import InvalidText, MoveRefused, OutOfTime, SourceTaken
from domain.lifecycle import Status

CLARIFICATION_QUESTION = (
    "Здравствуйте! Спасибо, что сообщили о проблеме. Чтобы передать обращение в ответственную "
    "службу, уточните, пожалуйста, адрес: улицу и номер дома, перекрёсток или ближайший "
    "ориентир. Ответьте, пожалуйста, на это сообщение."
)

# The screening reason of a post holding characters the domain refuses (domain/text.py).
UNREADABLE_TEXT = "unreadable_text"
OUT_OF_TIME = "out_of_time"


class Outcome(StrEnum):
    DROPPED = "dropped"
    AWAITING_ADDRESS = "awaiting_address"
    ROUTED = "routed"
    # Registered, but the routing table has no organisation for it or the author's answer
    # still gave no place: an operator takes it from here.
    AWAITING_OPERATOR = "awaiting_operator"
    # Someone (an operator, another intake worker) has already moved the complaint on.
    IN_PROGRESS = "in_progress"
    # A fact about a registered complaint's post (an edit, a deletion, a restore, a photo of
    # its album) was recorded, or had been: the complaint goes on where it stands.
    NOTED = "noted"
    # A deletion of a post no complaint came of: there is nothing to record it on.
    UNKNOWN_POST = "unknown_post"
    # A photo without words, kept in its album until one of the album's photos makes a complaint.
    IN_ALBUM = "in_album"
    # A post without words (a sticker, a photo without a caption) in a complaint's thread:
    # it belongs to that complaint and is neither a new one nor a screened post.
    JOINED = "joined"


@dataclass(frozen=True, slots=True)
class IntakeResult:
    outcome: Outcome
    complaint_id: UUID | None = None
    incident_id: UUID | None = None
    organisation: str | None = None
    reason: str | None = None


class MessageLocator(Protocol):
    """Finds the complaint that one of our published replies belongs to."""

    def complaint_for_message(self, channel: str, external_ref: str) -> UUID | None: ...


def address_label(address: Address) -> str:
    """The canonical address as an operator reads it: «улица Мясникяна, 12», «парк Горького»."""
    place = f"{address.street_type} {address.street}" if address.street_type else address.street
    return f"{place}, {address.house}" if address.house else place


class Intake:
    def __init__(
        self,
        *,
        complaints: ComplaintService,
        records: IntakeRecords,
        triage: Triage,
        routing: RoutingTable,
        messages: MessageLocator,
        incident_window: timedelta,
    ) -> None:
        self.complaints = complaints
        self.records = records
        self.triage = triage
        self.routing = routing
        self.messages = messages
        self.incident_window = incident_window

    def receive(self, item: Post | Removal) -> IntakeResult:
        if isinstance(item, Removal):
            return self._take_removal(item)
        if item.album is not None:
            joined = self.records.album_complaint(item.channel, item.album)
            if joined is not None and joined != self.complaints.id_of(item.channel, item.source_ref):
                return self._noted(joined, item)
        if item.change is not None:
            known = self._view(self.complaints.id_of(item.channel, item.source_ref))
            # A change of a post never seen is taken as the post itself: it may be a complaint.
            if known is not None:
                return self._take_change(known, item)
        if item.album is not None and not item.text.strip():
            return self._keep_in_album(item, item.album)
        result = self._take_post(item)
        if item.album is not None and result.complaint_id is not None:
            album_complaint, waiting = self.records.complete_album(item.channel, item.album, result.complaint_id)
            if album_complaint == result.complaint_id and waiting:
                self.complaints.handle(Attach(result.complaint_id, attachments=waiting, actor=_actor(item)))
        return result

    def _keep_in_album(self, post: Post, album: str) -> IntakeResult:
        """A photo without words came before its album's complaint existed: it waits in the album."""
        joined = self.records.wait_in_album(post.channel, album, post.attachments)
        if joined is not None:
            return self._noted(joined, post)
        return IntakeResult(Outcome.IN_ALBUM)

    def _take_post(self, post: Post) -> IntakeResult:
        waiting = self._complaint_answered_by(post)
        if waiting is not None and has_words(post.text):
            return self._take_answer(waiting, post)
        thread = waiting or self._thread_complaint(post)
        if thread is not None and not has_words(post.text):
            # It answers nothing and gives no place; the complaint waits as it did.
            return IntakeResult(Outcome.JOINED, complaint_id=thread.id)
        verdict = self.triage.assess(self._triage_text(post), post.channel)
        if verdict.is_complaint and not verdict.actionable and thread is not None:
            verdict = self._located_by_thread(verdict, thread, post)
        if not verdict.is_complaint:
            reason = verdict.reason or "unspecified"
            self.records.record_dropped(channel=post.channel, source_ref=post.source_ref, reason=reason)
            return IntakeResult(Outcome.DROPPED, reason=reason)
        try:
            registration = self.complaints.register(
                Register(
                    channel=post.channel,
                    source_ref=post.source_ref,
                    author_ref=post.author_ref,
                    text=post.text,
                    received_at=post.published_at,
                    actor=_actor(post),
                    address=address_label(verdict.address) if verdict.address is not None else None,
                    category=verdict.category,
                    district=verdict.district,
                )
            )
        except InvalidText:
            # A network delivers it again and again; screened, it is counted once and shown
            # among the day's screened posts instead of failing every delivery.
            self.records.record_dropped(channel=post.channel, source_ref=post.source_ref, reason=UNREADABLE_TEXT)
            return IntakeResult(Outcome.DROPPED, reason=UNREADABLE_TEXT)
        except OutOfTime:
            # A post dated in the future or over a year ago: a network's clock or date gone wrong.
            self.records.record_dropped(channel=post.channel, source_ref=post.source_ref, reason=OUT_OF_TIME)
            return IntakeResult(Outcome.DROPPED, reason=OUT_OF_TIME)
        except SourceTaken as taken:
            # A network's post keeps its reference when its author edits it: it is the same
            # complaint, read again with its new text (a poll sees only the latest version).
            changed = self._take_change(self.complaints.get(taken.complaint_id), replace(post, change=Change.EDITED))
            if changed.outcome is not Outcome.NOTED:
                return changed
            registration = Registration(taken.complaint_id, created=False)
        self._attach(registration.complaint_id, post)
        return self._advance(
            registration.complaint_id,
            located=verdict.actionable,
            district=verdict.district,
            actor=_actor(post),
        )

    def _take_change(self, view: ComplaintView, post: Post) -> IntakeResult:
        """An edit or a restore of a registered complaint's post. An edit that gives the
        address the complaint waits for clarifies it, as the author's answer would."""

        def record(current: ComplaintView) -> IntakeResult | None:
            if post.change is Change.RESTORED:
                self.complaints.handle(RecordRestoration(current.id, actor=_actor(post)))
            if post.text.strip():
                self.complaints.handle(RecordEdit(current.id, text=post.text, actor=_actor(post)))
            if current.status == Status.CLARIFICATION_REQUESTED:
                verdict = self.triage.assess(self._triage_text(post), post.channel)
                if verdict.actionable and verdict.address is not None:
                    return self._take_answer(self.complaints.get(current.id), post)
            return None

        return self._noted(view.id, post, record)

    def _take_removal(self, removal: Removal) -> IntakeResult:
        view = self._view(self.complaints.id_of(removal.channel, removal.source_ref))
        if view is None:
            return IntakeResult(Outcome.UNKNOWN_POST)
        # The problem the post reported still exists: the complaint stands, the deletion is noted.
        self.complaints.handle(RecordDeletion(view.id, deleter_ref=removal.deleter_ref, actor=_actor(removal)))
        return IntakeResult(Outcome.NOTED, complaint_id=view.id)

    def _noted(
        self,
        complaint_id: UUID,
        post: Post,
        record: Callable[[ComplaintView], IntakeResult | None] | None = None,
    ) -> IntakeResult:
        """Attaches the post's files to the complaint, then records what else it says (``record``)."""
        self._attach(complaint_id, post)
        result = record(self.complaints.get(complaint_id)) if record is not None else None
        return result or IntakeResult(Outcome.NOTED, complaint_id=complaint_id)

    def _attach(self, complaint_id: UUID, post: Post) -> None:
        if post.attachments:
            self.complaints.handle(Attach(complaint_id, attachments=post.attachments, actor=_actor(post)))

    def route(self, complaint_id: UUID, *, district: str | None, actor: str) -> IntakeResult:
        """Routes a registered complaint whose place is known because its channel's form
        requires one (Open311), so the author is never asked for the address."""
        return self._advance(complaint_id, located=True, district=district, actor=actor)

    def _complaint_answered_by(self, post: Post) -> ComplaintView | None:
        """The complaint whose clarification request this post answers, if it answers one."""
        for ref in post.reply_to:
            candidates = (
                self.complaints.id_of(post.channel, ref),
                self.messages.complaint_for_message(post.channel, ref),
            )
            for complaint_id in candidates:
                view = self._view(complaint_id)
                if view is None or not self._written_by(view, post.author_ref):
                    continue
                if view.status == Status.CLARIFICATION_REQUESTED or view.clarification == post.text:
                    return view
        return None

    def _thread_complaint(self, post: Post) -> ComplaintView | None:
        """The complaint whose post (or our reply under it) this post answers, if any."""
        for ref in post.reply_to:
            for complaint_id in (
                self.complaints.id_of(post.channel, ref),
                self.messages.complaint_for_message(post.channel, ref),
            ):
                view = self._view(complaint_id)
                if view is not None:
                    return view
        return None

    def _located_by_thread(self, verdict: TriageVerdict, thread: ComplaintView, post: Post) -> TriageVerdict:
        """A reply that names no place is where the post it answers is ("и у нас в соседнем
        подъезде то же"): the thread's words give the place, the reply's the problem."""
        together = self.triage.assess(f"{thread.text}\n{self._triage_text(post)}", post.channel)
        if not (together.actionable and together.address is not None):
            return verdict
        return replace(verdict, address=together.address, district=together.district, actionable=True, reason=None)

    def _take_answer(self, view: ComplaintView, post: Post) -> IntakeResult:
        # The answer alone ("Ленина 99") lacks the problem; together they locate it.
        verdict = self.triage.assess(f"{view.text}\n{post.text}", post.channel)
        located = verdict.actionable and verdict.address is not None
        if view.status == Status.CLARIFICATION_REQUESTED:
            try:
                self.complaints.handle(
                    Clarify(
                        view.id,
                        text=post.text,
                        address=address_label(verdict.address) if located else None,
                        actor=_actor(post),
                    )
                )
            except MoveRefused:
                return IntakeResult(Outcome.IN_PROGRESS, complaint_id=view.id)
        # Otherwise this answer was taken before, and only what may not have followed it is done.
        return self._advance(view.id, located=located, district=verdict.district or view.district, actor=_actor(post))

    def _advance(self, complaint_id: UUID, *, located: bool, district: str | None, actor: str) -> IntakeResult:
        view = self.complaints.get(complaint_id)
        if view.status != Status.REGISTERED:
            return IntakeResult(_outcome_of(view), complaint_id=complaint_id, organisation=view.organisation)
        try:
            if not located:
                if view.clarification_question is not None:
                    return IntakeResult(Outcome.AWAITING_OPERATOR, complaint_id=complaint_id)
                self.complaints.handle(RequestClarification(complaint_id, question=CLARIFICATION_QUESTION, actor=actor))
                return IntakeResult(Outcome.AWAITING_ADDRESS, complaint_id=complaint_id)
            incident_id = None
            if view.category is not None and view.address is not None:
                incident_id = self.records.link_incident(
                    complaint_id=complaint_id,
                    category=view.category,
                    address=view.address,
                    district=district,
                    window=self.incident_window,
                )
            organisation = self.routing.organisation_for(view.category, district)
            if organisation is None:
                return IntakeResult(Outcome.AWAITING_OPERATOR, complaint_id=complaint_id, incident_id=incident_id)
            self.complaints.handle(Assign(complaint_id, organisation=organisation, actor=actor))
        except MoveRefused:
            # Another worker or an operator moved it first; theirs stands.
            return IntakeResult(Outcome.IN_PROGRESS, complaint_id=complaint_id)
        return IntakeResult(
            Outcome.ROUTED, complaint_id=complaint_id, incident_id=incident_id, organisation=organisation
        )

    def _view(self, complaint_id: UUID | None) -> ComplaintView | None:
        if complaint_id is None:
            return None
        try:
            return self.complaints.get(complaint_id)
        except ComplaintNotFound:
            return None

    def _written_by(self, view: ComplaintView, author_ref: str) -> bool:
        # The stored author is sealed personal data; the service opens it for its own processes.
        author = self.complaints.author_of(view.id)
        return author is not None and author.ref == author_ref

    @staticmethod
    def _triage_text(post: Post) -> str:
        return f"{post.text}\nАдрес: {post.address_hint}" if post.address_hint else post.text


def has_words(text: str) -> bool:
    """Whether a post says anything: emoji, stickers and bare photos come without a letter
    or a digit."""
    return any(ch.isalnum() for ch in text)


def _actor(post: Post | Removal) -> str:
    return f"intake:{post.channel}"


def _outcome_of(view: ComplaintView) -> Outcome:
    if view.status == Status.CLARIFICATION_REQUESTED:
        return Outcome.AWAITING_ADDRESS
    if view.status == Status.ASSIGNED:
        return Outcome.ROUTED
    return Outcome.IN_PROGRESS
