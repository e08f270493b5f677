"""OK media topics and discussion comments into intake posts.

A topic is ``topic/{topic_id}``, a comment ``topic/{topic_id}/{comment_id}``. OK writes
comment dates as local ``YYYY-MM-DD HH:MM:SS`` in Moscow time and topic times in ms.
"""

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from application.intake.source import Post
from domain.complaint import Channel

OK_TIME = ZoneInfo("Europe/Moscow")


def topic_ref(topic_id: str) -> str:
    return f"topic/{topic_id}"


def comment_ref(topic_id: str, comment_id: str) -> str:
    return f"topic/{topic_id}/{comment_id}"


def parse_ref(ref: str) -> tuple[str, str | None]:
    """(topic_id, comment_id or None) of a reference made by this module."""
    kind, _, rest = ref.partition("/")
    topic_id, _, comment_id = rest.partition("/")
    if kind != "topic" or not topic_id:
        raise ValueError(f"not an OK topic reference: {ref!r}")
    return topic_id, comment_id or None


def topic_text(topic: Mapping[str, Any]) -> str:
    parts = [media.get("text", "") for media in topic.get("media", []) if media.get("type") == "text"]
    return "\n".join(part for part in parts if part).strip()


def from_topic(topic: Mapping[str, Any]) -> Post | None:
    """A resident's topic in the group feed; None for the group's own (author_ref ``group:...``)."""
    kind, _, author = str(topic.get("author_ref", "")).partition(":")
    text = topic_text(topic)
    if kind != "user" or not author or not text:
        return None
    return Post(
        channel=Channel.OK,
        source_ref=topic_ref(str(topic["id"])),
        author_ref=f"ok:{author}",
        text=text,
        published_at=datetime.fromtimestamp(int(topic["created_ms"]) / 1000, UTC),
    )


def from_comment(comment: Mapping[str, Any], *, topic_id: str, group_id: str) -> Post | None:
    text = (comment.get("text") or "").strip()
    author = str(comment.get("author_id", ""))
    if not text or not author or author == group_id:
        return None
    answered = [topic_ref(topic_id)]
    if comment.get("reply_to_comment_id"):
        answered.append(comment_ref(topic_id, str(comment["reply_to_comment_id"])))
    return Post(
        channel=Channel.OK,
        source_ref=comment_ref(topic_id, str(comment["id"])),
        author_ref=f"ok:{author}",
        text=text,
        published_at=comment_time(comment["date"]),
        reply_to=tuple(answered),
    )


def comment_time(value: str) -> datetime:
    return datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=OK_TIME)
