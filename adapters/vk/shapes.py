"""The VK objects intake reads, as strict msgspec Structs shaped on VK's JSON Schema (5.199).

Only the fields intake uses are declared; others are ignored. A declared field of another type
than the schema's (an id sent as a string, a flag as a number) is refused, so nothing but an
integer ever becomes part of a reference. Fields the schema leaves optional but without which
an item names no post (ids, author, date) are required here.
"""

from typing import Annotated, Any, Literal, TypeVar

import msgspec

from application.intake.source import MalformedPost

T = TypeVar("T")

# Unix seconds, no earlier than 1970 (the schema's minimum) and within the calendar: a date past
# year 9999 is no VK date, and would fail when read as a time.
UnixTime = Annotated[int, msgspec.Meta(ge=0, le=253_402_300_799)]


class PhotoSize(msgspec.Struct, kw_only=True):
    """photos_photo_sizes."""

    type: str
    width: int
    height: int
    url: str | None = None


class Photo(msgspec.Struct, kw_only=True):
    """photos_photo."""

    id: int
    owner_id: int
    sizes: list[PhotoSize] = []


class Doc(msgspec.Struct, kw_only=True):
    """docs_doc."""

    id: int
    owner_id: int
    title: str
    url: str | None = None


class Attachment(msgspec.Struct, kw_only=True):
    """wall_wallpost_attachment and wall_comment_attachment: a type and the object it names."""

    type: str
    photo: Photo | None = None
    doc: Doc | None = None


class Comment(msgspec.Struct, kw_only=True):
    """wall_wall_comment, as wall.getComments lists it (threads nested)."""

    id: int
    from_id: int
    date: UnixTime
    text: str = ""
    owner_id: int | None = None
    post_id: int | None = None
    parents_stack: list[int] = []
    reply_to_comment: int | None = None
    deleted: bool = False
    thread: "Thread | None" = None
    attachments: list[Attachment] = []
    reply_to_user: int | None = None
    is_from_post_author: bool = False
    can_edit: Literal[0, 1] = 0


class Thread(msgspec.Struct, kw_only=True):
    """comment_thread."""

    count: int
    items: list[Comment] = []


class WallReply(Comment, kw_only=True):
    """The object of a wall_reply_new callback: a comment that names its post. The schema names
    the wall ``owner_id``; VK's Callback API documentation adds ``post_owner_id``: either will do."""

    post_id: int
    post_owner_id: int | None = None

    def __post_init__(self) -> None:
        if self.owner_id is None and self.post_owner_id is None:
            raise ValueError("Object missing required field `owner_id` (or `post_owner_id`)")

    @property
    def wall_owner(self) -> int:
        return self.owner_id if self.owner_id is not None else self.post_owner_id  # type: ignore[return-value]


class WallPost(msgspec.Struct, kw_only=True):
    """wall_wallpost, as wall.get, newsfeed.search and wall_post_new carry it."""

    id: int
    owner_id: int
    from_id: int
    date: UnixTime
    text: str = ""
    post_type: Literal["post", "copy", "reply", "postpone", "suggest", "post_ads", "photo", "video", "clip"] | None = (
        None
    )
    is_deleted: bool = False
    attachments: list[Attachment] = []
    signer_id: int | None = None
    edited: UnixTime | None = None
    is_favorite: bool = False
    is_archived: bool = False
    access_key: str | None = None


class CommentDeletion(msgspec.Struct, kw_only=True):
    """callback_wall_comment_delete, the object of wall_reply_delete. VK's schema names the
    deleter ``user_id``, its Callback API documentation ``deleter_id``: either is taken."""

    id: int
    owner_id: int
    post_id: int
    deleter_id: int | None = None
    user_id: int | None = None


# callback_type: the events VK's schema documents.
EventType = Literal[
    "audio_new", "board_post_new", "board_post_edit", "board_post_restore", "board_post_delete", "confirmation",
    "group_leave", "group_join", "group_change_photo", "group_change_settings", "group_officers_edit",
    "lead_forms_new", "market_comment_new", "market_comment_delete", "market_comment_edit",
    "market_comment_restore", "market_order_new", "market_order_edit", "message_new", "message_reply",
    "message_edit", "message_allow", "message_deny", "message_read", "message_typing_state", "messages_edit",
    "message_reaction_event", "photo_new", "photo_comment_new", "photo_comment_delete", "photo_comment_edit",
    "photo_comment_restore", "poll_vote_new", "user_block", "user_unblock", "video_new", "video_comment_new",
    "video_comment_delete", "video_comment_edit", "video_comment_restore", "wall_post_new", "wall_reply_new",
    "wall_reply_edit", "wall_reply_delete", "wall_reply_restore", "wall_repost", "wall_schedule_post_new",
    "wall_schedule_post_delete",
]  # fmt: skip


class Addressed(msgspec.Struct, kw_only=True):
    """What names the community and proves the sender, read before anything else is trusted.
    VK's confirmation request is this and nothing more: ``{"type": "confirmation", "group_id": …}``."""

    type: EventType
    group_id: int
    secret: str | None = None


class CallbackEvent(Addressed, kw_only=True):
    """callback_base: what every Callback API event but the confirmation carries, around its object."""

    event_id: str
    v: str
    object: dict[str, Any]


def parsed(value: Any, shape: type[T]) -> T:
    """``value`` (decoded JSON) as ``shape``, strictly; MalformedPost names what does not fit."""
    try:
        return msgspec.convert(value, shape, strict=True)
    except msgspec.ValidationError as error:
        raise MalformedPost(f"VK {shape.__name__}: {error}") from None
