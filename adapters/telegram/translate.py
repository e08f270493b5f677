"""Telegram updates into intake posts. A message is ``{chat_id}/{message_id}``."""

from collections.abc import Collection, Mapping
from datetime import UTC, datetime
from typing import Any

from application.intake.source import Post
from domain.complaint import Channel


def message_ref(chat_id: int, message_id: int) -> str:
    return f"{chat_id}/{message_id}"


def parse_ref(ref: str) -> tuple[int, int]:
    chat, _, message = ref.partition("/")
    return int(chat), int(message)


def from_update(update: Mapping[str, Any], *, chats: Collection[int]) -> Post | None:
    """A resident's message in one of the watched chats (all chats when none are named).

    Channel posts, their automatic copies into the discussion chat, messages sent on behalf
    of a chat and bots' messages are the administration's or machines' words, not residents'.
    """
    message = update.get("message")
    if not isinstance(message, Mapping):
        return None
    chat_id = message["chat"]["id"]
    sender = message.get("from") or {}
    text = (message.get("text") or message.get("caption") or "").strip()
    if (chats and chat_id not in chats) or not text or not sender or sender.get("is_bot"):
        return None
    if message.get("is_automatic_forward") or message.get("sender_chat"):
        return None
    replied = message.get("reply_to_message")
    return Post(
        channel=Channel.TELEGRAM,
        source_ref=message_ref(chat_id, message["message_id"]),
        author_ref=f"tg:{sender['id']}",
        text=text,
        published_at=datetime.fromtimestamp(message["date"], UTC),
        reply_to=(message_ref(chat_id, replied["message_id"]),) if replied else (),
    )
