"""Telegram updates into intake posts. A message is ``{chat_id}/{message_id}``."""

import re
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
# A bot command as the Bot API defines one: a slash, up to 32 Latin letters, digits and
# underscores, and the bot's username after @ where several bots share the chat.
_COMMAND = re.compile(r"/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{5,32})?(?:\s|$)")


def message_ref(chat_id: int, message_id: int) -> str:
    return f"{chat_id}/{message_id}"


def parse_ref(ref: str) -> tuple[int, int]:
    chat, _, message = ref.partition("/")
    return int(chat), int(message)


def is_citizens_message(message: Message) -> bool:
    """Whether a message is a resident's words, as far as the Bot API tells.

    Not a resident's: what the administration writes in any of its forms (as the channel or
    its linked chat: ``sender_chat``; as an anonymous admin: GroupAnonymousBot, with the group
    itself as ``sender_chat``), the channel's posts copied into the discussion chat
    (``is_automatic_forward``), bots' messages (``from.is_bot``, ``via_bot``), service messages
    (a member joined, a message pinned...), and commands to our bot (``/start``).
    """
    sender = message.sender
    if sender is None or sender.is_bot or message.via_bot is not None or message.sender_chat is not None:
        return False
    if message.is_automatic_forward or message.is_service:
        return False
    return not _COMMAND.match(message.text or "")


def from_update(update: Update, *, chats: Collection[int]) -> Post | None:
    """A resident's message in one of the watched chats (all chats when none are named)."""
    message = update.message
    if message is None or message.sender is None or not is_citizens_message(message):
        return None
    chat_id, sender = message.chat.id, message.sender
    text = (message.text or message.caption or "").strip()
    attachments = attachments_of(message)
    # A photo of an album may come without words: it belongs to the album's complaint.
    worded = text or (message.media_group_id is not None and attachments)
    if (chats and chat_id not in chats) or not worded:
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
