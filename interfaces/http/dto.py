"""Wire DTOs: one declaration gives validation, OpenAPI and serialisation (msgspec)."""

from datetime import UTC, datetime
from functools import cache
from typing import Annotated, Any, get_args
from uuid import UUID

import msgspec
from msgspec import Meta, Struct

from application.audit.history import HistoryEntry
from application.city import Term
from application.commands import Register
from application.moments import in_utc
from application.personal_data import HIDDEN
from application.views import ComplaintView
from domain.complaint import MAX_TEXT_LENGTH, Channel

# Tabs and line breaks are text; other control characters are never typed by a person.
_NO_CONTROL = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
# A name, an address, a reference is one line: no control character at all, nor the line and
# paragraph separators (U+0085, U+2028, U+2029) that break a line in logs, CSV exports and replies.
SINGLE_LINE = r"^[^\x00-\x1f\x7f\x85\u2028\u2029]*$"
# ISO 8601 with its offset, written out: in lenient decoding a bare number (or a string of
# digits) would be taken as Unix time, and a naive time would have to be guessed.
ISO_WITH_OFFSET = r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|z|[+-]\d{2}:?\d{2})$"

Text = Annotated[
    str,
    Meta(
        min_length=1,
        max_length=MAX_TEXT_LENGTH,
        pattern=_NO_CONTROL,
        description="text as the citizen or operator wrote it",
    ),
]
ShortText = Annotated[str, Meta(min_length=1, max_length=500, pattern=SINGLE_LINE)]
Reference = Annotated[str, Meta(min_length=1, max_length=256, pattern=SINGLE_LINE)]
# A category and a district are the city's terms (application/city.py): msgspec checks their
# shape, the handlers whether they are the city's (422 naming the allowed values), and the
# OpenAPI document lists them as enumerations (interfaces/http/city_terms.py).
Category = Annotated[str, Meta(min_length=1, max_length=64, pattern=r"^[a-z_]+$"), Term.CATEGORY]
District = Annotated[str, Meta(min_length=1, max_length=500, pattern=SINGLE_LINE), Term.DISTRICT]
AwareDatetime = Annotated[datetime, Meta(tz=True, description="ISO 8601 with a time zone offset")]


class _In(Struct, forbid_unknown_fields=True, frozen=True):
    pass


class RegisterComplaint(_In):
    channel: Channel
    source_ref: Annotated[Reference, Meta(description="the post on its channel, e.g. wall-1_123/456")]
    author_ref: Annotated[Reference, Meta(description="the author on the channel, e.g. vk:id777")]
    text: Text
    received_at: Annotated[
        str,
        Meta(
            pattern=ISO_WITH_OFFSET,
            description="when the citizen published, ISO 8601 with its offset; within the last year; starts the clock",
            extra_json_schema={"format": "date-time"},
        ),
    ]
    address: ShortText | None = None
    category: Category | None = None
    district: District | None = None
    author_name: Annotated[ShortText, Meta(description="personal data: stored encrypted")] | None = None
    author_phone: Annotated[str, Meta(max_length=32, pattern=r"^\+?[0-9 ()-]{5,32}$")] | None = None
    author_email: Annotated[str, Meta(max_length=254, pattern=r"^[^@\s]+@[^@\s]+$")] | None = None

    def __post_init__(self) -> None:
        # Whether the moment is too old or too late is the service's to judge, against its clock.
        try:
            datetime.fromisoformat(self.received_at)
        except ValueError:
            raise ValueError("received_at is not a valid date and time") from None

    def command(self, *, actor: str) -> Register:
        """The registration as the application takes it (from the API and from `mcu import`)."""
        return Register(
            channel=self.channel.value,
            source_ref=self.source_ref,
            author_ref=self.author_ref,
            text=self.text,
            received_at=datetime.fromisoformat(self.received_at),
            actor=actor,
            address=self.address,
            category=self.category,
            district=self.district,
            author_name=self.author_name,
            author_phone=self.author_phone,
            author_email=self.author_email,
        )


# The document's example of a registration (the API's docs offer it to try).
REGISTRATION_EXAMPLE = {
    "channel": "phone",
    "source_ref": "call/2026-11-28/0042",
    "author_ref": "phone:+79185551234",
    "text": "Во дворе дома Королёва 10 не вывозят мусор третий день",
    "address": "проспект Королёва, 10",
    "category": "waste",
    "district": "Ворошиловский",
    "received_at": "2026-11-28T12:00:00+03:00",
}


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


class Answer(Struct, frozen=True):
    """What the API writes: every moment of it in UTC, which msgspec spells with ``Z``
    (application/moments.py: the one spelling of every output)."""

    def __post_init__(self) -> None:
        for name in _moment_fields(type(self)):
            value = getattr(self, name)
            if value is not None and value.tzinfo is not UTC:
                msgspec.structs.force_setattr(self, name, in_utc(value))


@cache
def _moment_fields(answer: type[Answer]) -> tuple[str, ...]:
    """The fields of an answer that hold a moment (or none): the rest are never looked at."""
    return tuple(
        field.name
        for field in msgspec.structs.fields(answer)
        if field.type is datetime or datetime in get_args(field.type)
    )


def _moments_in_utc(value: Any) -> Any:
    """The fields of a stored event, which hold moments as they were recorded."""
    if isinstance(value, datetime):
        return in_utc(value)
    if isinstance(value, list | tuple):
        return [_moments_in_utc(item) for item in value]
    return value


class Reaction(Answer, frozen=True):
    target: datetime
    deadline: datetime
    state: Annotated[str, Meta(description="within_target | past_target | overdue")]
    running: bool
    reacted_at: datetime | None
    reaction_seconds: int | None


class ResolutionClock(Answer, frozen=True):
    deadline: datetime
    state: Annotated[str, Meta(description="on_time | overdue")]
    closed_at: datetime | None


class Author(Struct, frozen=True):
    ref: str
    name: str | None
    phone: str | None
    email: str | None


class Attachment(Struct, frozen=True):
    kind: Annotated[str, Meta(description="photo | document")]
    ref: Annotated[str, Meta(description="the file's id on its network")]
    url: Annotated[str | None, Meta(description="where the network serves it; none for Telegram's files")]


class Complaint(Answer, frozen=True):
    id: UUID
    version: int
    status: str
    channel: str
    source_ref: str
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
    edited_text: Annotated[str | None, Meta(description="the author's latest version of the post, if edited")] = None
    source_deleted: Annotated[bool, Meta(description="the post is deleted on its network (the complaint stands)")] = (
        False
    )
    attachments: list[Attachment] = []
    personal_data: Annotated[
        str,
        Meta(
            description="shown | hidden (not for this role or this response) | forgotten (the citizen's key is deleted)"
        ),
    ] = "hidden"
    author: Author | None = None

    @classmethod
    def of(cls, view: ComplaintView, author: "Author | None" = None, *, forgotten: bool = False) -> "Complaint":
        complaint = msgspec.convert(view, cls, from_attributes=True)
        if author is not None:
            return msgspec.structs.replace(complaint, author=author, personal_data="shown")
        return msgspec.structs.replace(complaint, personal_data="forgotten") if forgotten else complaint


class ComplaintListItem(Answer, frozen=True):
    id: str
    version: int
    status: str
    channel: str
    category: str | None
    district: str | None
    organisation: str | None
    executor: str | None
    address: str | None
    summary: Annotated[str, Meta(description="the beginning of the text")]
    received_at: datetime
    registered_at: datetime
    updated_at: datetime
    reaction_target: datetime
    reaction_deadline: datetime
    reacted_at: datetime | None
    clock: Annotated[str, Meta(description="within_target | past_target | overdue, now")]
    clock_running: bool
    reopen_count: int


class ComplaintListPage(Struct, frozen=True):
    items: list[ComplaintListItem]
    next_cursor: Annotated[str | None, Meta(description="pass as `cursor` for the next page")]


# Event fields that hold a person's reference: the author, and whoever else deleted the post.
_SEALED_FIELDS = frozenset({"author_ref", "deleter"})


class HistoryEvent(Answer, frozen=True):
    type: str
    version: int
    position: Annotated[int | None, Meta(description="the event's place in the global log")]
    at: datetime
    actor: str
    seal: Annotated[str, Meta(description="SHA-256 link to the previous event of this complaint")]
    data: dict[str, Any]
    changes: Annotated[dict[str, list[Any]], Meta(description="field: [before, after]")]

    @classmethod
    def of(cls, entry: HistoryEntry) -> "HistoryEvent":
        # The author is encrypted in the store; the history never shows even the ciphertext.
        event = msgspec.convert(entry, cls, from_attributes=True)
        data = {k: HIDDEN if k in _SEALED_FIELDS else _moments_in_utc(v) for k, v in event.data.items()}
        changes = {k: [HIDDEN, HIDDEN] if k == "author_ref" else _moments_in_utc(v) for k, v in event.changes.items()}
        return msgspec.structs.replace(event, data=data, changes=changes)


class PersonalDataRead(Answer, frozen=True):
    reader: str
    at: datetime


class Forgetting(_In):
    author_ref: Annotated[Reference, Meta(description="the citizen on their channel, e.g. vk:id777")]


class Forgotten(Struct, frozen=True):
    forgotten: Annotated[bool, Meta(description="false: no personal data of this citizen was held")]


class Problem(Struct, frozen=True):
    """RFC 9457 problem details; ``errors`` lists each invalid field of a 400, and ``error_id``
    names a 500 in the service's log."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[dict[str, Any]] | None = None
    current_version: int | None = None
    status_now: str | None = None
    move: str | None = None
    error_id: str | None = None


class ProjectionLag(Struct, frozen=True):
    name: str
    position: Annotated[int, Meta(description="the last event applied to the view")]
    behind: Annotated[int, Meta(description="events recorded but not yet in the view")]
    failure: Annotated[str | None, Meta(description="the error type of the last failed attempt, if any")] = None


REPLIES_OUTLOOK = "sending | not running | cannot send | no channel"


class Replies(Answer, frozen=True):
    outlook: Annotated[str, Meta(description=f"whether replies go out: {REPLIES_OUTLOOK}")]
    configured: Annotated[list[str], Meta(description="the channels complaints come from, as configured")]
    running: Annotated[bool, Meta(description="a reply process recorded its heartbeat within the last minute")]
    last_beat: datetime | None
    channels: Annotated[list[str], Meta(description="the channels a running reply process can send on")]
    cannot_send: Annotated[
        dict[str, str], Meta(description="channel complaints come from → why no reply goes out on it")
    ]


class Health(Struct, frozen=True):
    status: str
    store: str
    events: int
    replies: Replies
    projections: list[ProjectionLag] = []
