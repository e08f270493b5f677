"""The VK objects intake reads, as strict msgspec Structs shaped on VK's JSON Schema (5.199).

Only the fields intake uses are declared; others are ignored. A declared field of another type
than the schema's (an id sent as a string, a flag as a number) is refused, so nothing but an
integer ever becomes part of a reference. Fields the schema leaves optional but without which
an item names no post (ids, author, date) are required here.
"""

from typing import Any, TypeVar

import msgspec

from application.intake.source import MalformedPost

T = TypeVar("T")


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
    date: int
    text: str = ""
    owner_id: int | None = None
    post_id: int | None = None
    parents_stack: list[int] = []
    reply_to_comment: int | None = None
    deleted: bool = False
    thread: "Thread | None" = None
    attachments: list[Attachment] = []


class Thread(msgspec.Struct, kw_only=True):
    """comment_thread."""

    count: int
    items: list[Comment] = []


class WallReply(Comment, kw_only=True):
    """The object of a wall_reply_new callback: a comment that names its post."""

    owner_id: int
    post_id: int


class WallPost(msgspec.Struct, kw_only=True):
    """wall_wallpost, as wall.get, newsfeed.search and wall_post_new carry it."""

    id: int
    owner_id: int
    from_id: int
    date: int
    text: str = ""
    post_type: str | None = None
    is_deleted: bool = False
    attachments: list[Attachment] = []


class CommentDeletion(msgspec.Struct, kw_only=True):
    """callback_wall_comment_delete, the object of wall_reply_delete. VK's schema names the
    deleter ``user_id``, its Callback API documentation ``deleter_id``: either is taken."""

    id: int
    owner_id: int
    post_id: int
    deleter_id: int | None = None
    user_id: int | None = None


class CallbackEvent(msgspec.Struct, kw_only=True):
    """callback_base: what every Callback API event carries around its object."""

    type: str
    group_id: int
    event_id: str
    v: str
    secret: str | None = None
    object: dict[str, Any] | None = None


def parsed(value: Any, shape: type[T]) -> T:
    """``value`` (decoded JSON) as ``shape``, strictly; MalformedPost names what does not fit."""
    try:
        return msgspec.convert(value, shape, strict=True)
    except msgspec.ValidationError as error:
        raise MalformedPost(f"VK {shape.__name__}: {error}") from None
