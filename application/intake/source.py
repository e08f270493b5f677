"""The inbound port: what a channel hands to intake, and what a pollable source is."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from application.commands import AttachmentRef


class Change(StrEnum):
    """What a delivery says happened to a post already published (None: a new post)."""

    EDITED = "edited"
    RESTORED = "restored"


@dataclass(frozen=True, slots=True)
class Post:
    """One item a citizen published, translated from the network's shape into plain values.

    ``source_ref`` names the item on its channel and is what a reply is addressed to;
    ``reply_to`` names the items it answers (the post under a comment, the comment thread,
    the message replied to), so an author's answer to a clarification request is recognised.
    ``address_hint`` is an address the channel gives apart from the text (the ПОС form's field).
    ``attachments``: its photos and documents. ``album`` names the group of messages the
    network sent one photo each of (a Telegram ``media_group_id``, with its chat).
    ``change``: the post as edited or restored, not new; ``revision`` tells one such delivery
    from another (the network's edit time or event id), so a repeat is recognised.
    """

    channel: str
    source_ref: str
    author_ref: str
    text: str
    published_at: datetime
    reply_to: tuple[str, ...] = ()
    address_hint: str | None = None
    attachments: tuple[AttachmentRef, ...] = ()
    album: str | None = None
    change: Change | None = None
    revision: str | None = None


@dataclass(frozen=True, slots=True)
class Removal:
    """A post deleted on its network. ``deleter_ref``: who deleted it, in the form of the
    channel's author references; ``revision`` as for a Post (a deletion may come again after
    a restore)."""

    channel: str
    source_ref: str
    deleter_ref: str | None
    revision: str


@dataclass(frozen=True, slots=True)
class Batch:
    """Posts read from a source and the position to resume after them."""

    posts: Sequence[Post | Removal]
    position: str | None


class Source(Protocol):
    """A source that is polled: a community wall, a bot's update queue, the platform's feed."""

    @property
    def name(self) -> str:
        """Stable and unique among sources: the key under which its position is kept."""
        ...

    def fetch(self, position: str | None) -> Batch:
        """Reads what is new after ``position`` (None: from the source's own start)."""
        ...


class MalformedPost(ValueError):
    """A network's payload without the shape its published schema gives it: a field missing,
    or of another type. The message names the field, never the value (it may quote a citizen)."""
