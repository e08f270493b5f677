"""The inbound port: what a channel hands to intake, and what a pollable source is."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Post:
    """One item a citizen published, translated from the network's shape into plain values.

    ``source_ref`` names the item on its channel and is what a reply is addressed to;
    ``reply_to`` names the items it answers (the post under a comment, the comment thread,
    the message replied to), so an author's answer to a clarification request is recognised.
    ``address_hint`` is an address the channel gives apart from the text (the ПОС form's field).
    """

    channel: str
    source_ref: str
    author_ref: str
    text: str
    published_at: datetime
    reply_to: tuple[str, ...] = ()
    address_hint: str | None = None


@dataclass(frozen=True, slots=True)
class Batch:
    """Posts read from a source and the position to resume after them."""

    posts: Sequence[Post]
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
