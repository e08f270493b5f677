"""The complaint service: one method per command, plain values in and out."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import IntegrityError
from eventsourcing.utils import EnvType

from application.clock import Clock, SystemClock
from application.errors import Busy, ComplaintNotFound, StaleVersion
from application.views import ComplaintView, HistoryEntry
from domain.complaint import Complaint
from domain.errors import InvalidComplaint
from domain.reaction import ReactionPolicy

# Clocks on phones and social networks drift; a post "from the future" beyond this is bad input.
CLOCK_SKEW_TOLERANCE = timedelta(minutes=5)
# Without an expected version a command is re-applied to the latest state this many times
# when another writer wins the race; the lifecycle rules are checked again on each attempt.
_RETRIES = 5


@dataclass(frozen=True, slots=True)
class Registration:
    complaint_id: UUID
    created: bool


class ComplaintService(Application[UUID]):
    name = "Complaints"

    def __init__(
        self,
        env: EnvType | None = None,
        *,
        clock: Clock | None = None,
        policy: ReactionPolicy | None = None,
    ) -> None:
        # Defaults let the library's runners construct the service from env alone.
        super().__init__(env)
        self.clock = clock or SystemClock()
        self.policy = policy or ReactionPolicy()

    def register(
        self,
        *,
        channel: str,
        source_ref: str,
        author_ref: str,
        text: str,
        received_at: datetime,
        actor: str,
        address: str | None = None,
        category: str | None = None,
        district: str | None = None,
    ) -> Registration:
        """Registers a post once: the same (channel, source reference) returns the first complaint."""
        complaint_id = Complaint.create_id(channel, source_ref)
        if self._exists(complaint_id):
            return Registration(complaint_id, created=False)
        now = self.clock.now()
        if received_at.tzinfo is not None and received_at > now + CLOCK_SKEW_TOLERANCE:
            raise InvalidComplaint("the publication time is in the future")
        complaint = Complaint.register(
            channel=channel,
            source_ref=source_ref,
            author_ref=author_ref,
            text=text,
            received_at=received_at,
            policy=self.policy,
            actor=actor,
            at=now,
            address=address,
            category=category,
            district=district,
        )
        try:
            self.save(complaint)
        except IntegrityError:
            # A concurrent registration of the same post won; that one is the complaint.
            return Registration(complaint_id, created=False)
        return Registration(complaint_id, created=True)

    def request_clarification(
        self, complaint_id: UUID, *, question: str, actor: str, expected_version: int | None = None
    ) -> ComplaintView:
        return self._command(
            complaint_id,
            expected_version,
            lambda c, at: c.request_clarification(question, actor=actor, at=at),
        )

    def clarify(
        self,
        complaint_id: UUID,
        *,
        text: str,
        actor: str,
        address: str | None = None,
        expected_version: int | None = None,
    ) -> ComplaintView:
        return self._command(
            complaint_id,
            expected_version,
            lambda c, at: c.clarify(text, address=address, actor=actor, at=at),
        )

    def reject(
        self, complaint_id: UUID, *, reason: str, actor: str, expected_version: int | None = None
    ) -> ComplaintView:
        return self._command(
            complaint_id, expected_version, lambda c, at: c.reject(reason, actor=actor, at=at)
        )

    def assign(
        self,
        complaint_id: UUID,
        *,
        organisation: str,
        actor: str,
        executor: str | None = None,
        expected_version: int | None = None,
    ) -> ComplaintView:
        return self._command(
            complaint_id,
            expected_version,
            lambda c, at: c.assign(organisation, executor=executor, actor=actor, at=at),
        )

    def respond(
        self, complaint_id: UUID, *, text: str, actor: str, expected_version: int | None = None
    ) -> ComplaintView:
        return self._command(
            complaint_id, expected_version, lambda c, at: c.respond(text, actor=actor, at=at)
        )

    def resolve(
        self, complaint_id: UUID, *, text: str, actor: str, expected_version: int | None = None
    ) -> ComplaintView:
        return self._command(
            complaint_id, expected_version, lambda c, at: c.resolve(text, actor=actor, at=at)
        )

    def reopen(
        self, complaint_id: UUID, *, reason: str, actor: str, expected_version: int | None = None
    ) -> ComplaintView:
        return self._command(
            complaint_id, expected_version, lambda c, at: c.reopen(reason, actor=actor, at=at)
        )

    def mark_duplicate(
        self,
        complaint_id: UUID,
        *,
        original_id: UUID,
        actor: str,
        expected_version: int | None = None,
    ) -> ComplaintView:
        if not self._exists(original_id):
            raise ComplaintNotFound(original_id)
        return self._command(
            complaint_id,
            expected_version,
            lambda c, at: c.mark_duplicate(original_id, actor=actor, at=at),
        )

    def get(self, complaint_id: UUID) -> ComplaintView:
        return ComplaintView.of(self._load(complaint_id), self.clock.now())

    def history(self, complaint_id: UUID) -> list[HistoryEntry]:
        entries = [HistoryEntry.of(e) for e in self.repository.event_store.get(complaint_id)]
        if not entries:
            raise ComplaintNotFound(complaint_id)
        return entries

    def _command(
        self,
        complaint_id: UUID,
        expected_version: int | None,
        apply: Callable[[Complaint, datetime], None],
    ) -> ComplaintView:
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
