"""Wire DTOs: one declaration gives validation, OpenAPI and serialisation (msgspec)."""

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

import msgspec
from msgspec import Meta, Struct

from application.views import ComplaintView, HistoryEntry
from domain.complaint import MAX_TEXT_LENGTH, Channel

# Tabs and line breaks are text; other control characters are never typed by a person.
_NO_CONTROL = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"

Text = Annotated[
    str,
    Meta(min_length=1, max_length=MAX_TEXT_LENGTH, pattern=_NO_CONTROL,
         description="text as the citizen or operator wrote it"),
]
ShortText = Annotated[str, Meta(min_length=1, max_length=500, pattern=_NO_CONTROL)]
Reference = Annotated[str, Meta(min_length=1, max_length=256, pattern=_NO_CONTROL)]
AwareDatetime = Annotated[
    datetime, Meta(tz=True, description="ISO 8601 with a time zone offset")
]


class _In(Struct, forbid_unknown_fields=True, frozen=True):
    pass


class RegisterComplaint(_In):
    channel: Channel
    source_ref: Annotated[Reference, Meta(description="the post on its channel, e.g. wall-1_123/456")]
    author_ref: Annotated[Reference, Meta(description="the author on the channel, e.g. vk:id777")]
    text: Text
    received_at: Annotated[AwareDatetime, Meta(description="when the citizen published; starts the clock")]
    address: ShortText | None = None
    category: Annotated[str, Meta(min_length=1, max_length=64, pattern=r"^[a-z_]+$")] | None = None
    district: ShortText | None = None


class Assignment(_In):
    organisation: ShortText
    executor: ShortText | None = None


class PublishedText(_In):
    """A response or a resolution: published to the citizen on their channel."""

    text: Text


class ClarificationRequest(_In):
    question: Text


class Clarification(_In):
    text: Text
    address: ShortText | None = None


class Reason(_In):
    """Why a complaint is rejected or reopened."""

    reason: Text


class Duplicate(_In):
    original_id: UUID


class Reaction(Struct, frozen=True):
    target: datetime
    deadline: datetime
    state: Annotated[str, Meta(description="within_target | past_target | overdue")]
    running: bool
    reacted_at: datetime | None
    reaction_seconds: int | None


class ResolutionClock(Struct, frozen=True):
    deadline: datetime
    state: Annotated[str, Meta(description="on_time | overdue")]
    closed_at: datetime | None


class Complaint(Struct, frozen=True):
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
    responses: list[str]
    resolution: str | None
    duplicate_of: UUID | None
    reopen_count: int
    reaction: Reaction
    resolution_clock: ResolutionClock
    allowed_moves: list[str]

    @classmethod
    def of(cls, view: ComplaintView) -> "Complaint":
        return msgspec.convert(view, cls, from_attributes=True)


class HistoryEvent(Struct, frozen=True):
    type: str
    version: int
    at: datetime
    actor: str
    data: dict[str, Any]

    @classmethod
    def of(cls, entry: HistoryEntry) -> "HistoryEvent":
        return msgspec.convert(entry, cls, from_attributes=True)


class Problem(Struct, frozen=True):
    """RFC 9457 problem details; ``errors`` lists each invalid field of a 400."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[dict[str, Any]] | None = None
    current_version: int | None = None
    status_now: str | None = None
    move: str | None = None


class Health(Struct, frozen=True):
    status: str
    store: str
    events: int
