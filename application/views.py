"""What the application hands out about a complaint: plain values, evaluated at a moment."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from domain.complaint import Attachment, Complaint
from domain.lifecycle import allowed_moves


@dataclass(frozen=True, slots=True)
class ReactionClock:
    """Where a complaint stands against its reaction deadline and target."""

    target: datetime
    deadline: datetime
    state: str
    running: bool
    reacted_at: datetime | None
    reaction_seconds: int | None


@dataclass(frozen=True, slots=True)
class ResolutionView:
    deadline: datetime
    state: str
    closed_at: datetime | None


@dataclass(frozen=True, slots=True)
class ComplaintView:
    id: UUID
    version: int
    status: str
    channel: str
    source_ref: str
    author_ref: str
    text: str
    address: str | None
    category: str | None
    district: str | None
    organisation: str | None
    executor: str | None
    received_at: datetime
    registered_at: datetime
    updated_at: datetime
    clarification_question: str | None
    clarification: str | None
    rejection_reason: str | None
    responses: tuple[str, ...]
    resolution: str | None
    duplicate_of: UUID | None
    reopen_count: int
    reaction: ReactionClock
    resolution_clock: ResolutionView
    allowed_moves: tuple[str, ...]
    # The author's latest version of the post, when they edited it after registration.
    edited_text: str | None
    # The post is deleted on its network now; the complaint stands (the problem still exists).
    source_deleted: bool
    attachments: tuple[Attachment, ...]

    @classmethod
    def of(cls, complaint: Complaint, now: datetime) -> "ComplaintView":
        reaction = complaint.reaction
        reaction_time = reaction.reaction_time
        resolution = complaint.resolution_deadline
        return cls(
            id=complaint.id,
            version=complaint.version,
            status=complaint.status.value,
            channel=complaint.channel,
            source_ref=complaint.source_ref,
            author_ref=complaint.author_ref,
            text=complaint.text,
            address=complaint.address,
            category=complaint.category,
            district=complaint.district,
            organisation=complaint.organisation,
            executor=complaint.executor,
            received_at=complaint.received_at,
            registered_at=complaint.created_on,
            updated_at=complaint.modified_on,
            clarification_question=complaint.clarification_question,
            clarification=complaint.clarification,
            rejection_reason=complaint.rejection_reason,
            responses=tuple(complaint.responses),
            resolution=complaint.resolution,
            duplicate_of=complaint.duplicate_of,
            reopen_count=complaint.reopen_count,
            reaction=ReactionClock(
                target=reaction.target,
                deadline=reaction.deadline,
                state=reaction.state(now).value,
                running=reaction.running,
                reacted_at=reaction.reacted_at,
                reaction_seconds=None if reaction_time is None else int(reaction_time.total_seconds()),
            ),
            resolution_clock=ResolutionView(
                deadline=resolution.deadline,
                state=resolution.state(now).value,
                closed_at=resolution.closed_at,
            ),
            allowed_moves=tuple(sorted(m.name.lower() for m in allowed_moves(complaint.status))),
            edited_text=complaint.edited_text,
            source_deleted=complaint.source_deleted,
            attachments=complaint.attachments,
        )
