"""Telegram updates into intake posts. A message is ``{chat_id}/{message_id}``."""

from collections.abc import Collection
from datetime import UTC, datetime

from adapters.telegram.shapes import Update
from application.intake.source import Post
from domain.complaint import Channel


def message_ref(chat_id: int, message_id: int) -> str:
    return f"{chat_id}/{message_id}"


def parse_ref(ref: str) -> tuple[int, int]:
    chat, _, message = ref.partition("/")
    return int(chat), int(message)


def from_update(update: Update, *, chats: Collection[int]) -> Post | None:
    """A resident's message in one of the watched chats (all chats when none are named).

    Channel posts, their automatic copies into the discussion chat, messages sent on behalf
    of a chat and bots' messages are the administration's or machines' words, not residents'.
    """
    message = update.message
    if message is None:
        return None
    chat_id, sender = message.chat.id, message.sender
    text = (message.text or message.caption or "").strip()
    if (chats and chat_id not in chats) or not text or sender is None or sender.is_bot:
        return None
    if message.is_automatic_forward or message.sender_chat is not None:
        return None
    replied = message.reply_to_message
    return Post(
        channel=Channel.TELEGRAM,
        source_ref=message_ref(chat_id, message.message_id),
        author_ref=f"tg:{sender.id}",
        text=text,
        published_at=datetime.fromtimestamp(message.date, UTC),
        reply_to=(message_ref(chat_id, replied.message_id),) if replied is not None else (),
    )
