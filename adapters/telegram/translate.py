"""Telegram updates into intake posts. A message is ``{chat_id}/{message_id}``."""

from collections.abc import Collection
from dataclasses import replace
from datetime import UTC, datetime

import msgspec

from adapters.telegram.shapes import Message, Update
from application.commands import AttachmentRef
from application.intake.source import Change, Post
from domain.complaint import Channel

# The kinds of update intake takes, asked for by name (getUpdates' ``allowed_updates``): a
# resident's message and its edits. Channel posts and their edits are the administration's.
HANDLED_UPDATES = ("message", "edited_message")


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
    attachments = attachments_of(message)
    # A photo of an album may come without words: it belongs to the album's complaint.
    worded = text or (message.media_group_id is not None and attachments)
    if (chats and chat_id not in chats) or not worded or sender is None or sender.is_bot:
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
        attachments=attachments,
        album=f"{chat_id}/{message.media_group_id}" if message.media_group_id is not None else None,
    )


def post_of(update: Update, *, chats: Collection[int]) -> Post | None:
    """A new message, or an edited one (``edited_message``) as the same post changed."""
    edited = update.edited_message
    if edited is None:
        return from_update(update, chats=chats)
    post = from_update(msgspec.structs.replace(update, message=edited, edited_message=None), chats=chats)
    if post is None:
        return None
    # The edit time tells one edit from another, and a redelivery of the same edit from both.
    return replace(post, change=Change.EDITED, revision=str(edited.edit_date or update.update_id))


def attachments_of(message: Message) -> tuple[AttachmentRef, ...]:
    """The photo (its largest size) and the document, by the file ids the Bot API gives. No
    address: a file's download link carries the bot's token."""
    found = []
    if message.photo:
        largest = max(message.photo, key=lambda size: size.width * size.height)
        found.append(AttachmentRef("photo", largest.file_id))
    if message.document is not None:
        found.append(AttachmentRef("document", message.document.file_id))
    return tuple(found)
