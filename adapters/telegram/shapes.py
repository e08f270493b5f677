"""The Bot API objects intake reads, as strict msgspec Structs shaped on its spec (Bot API 10.1).

Only the fields intake uses are declared, each with the spec's type and requirement; the
others (and other kinds of update) are ignored. A ``message_id`` that is not an integer is
refused, so nothing but integers ever becomes part of a message reference.
"""

from typing import Any

import msgspec

from application.intake.source import MalformedPost


class User(msgspec.Struct, kw_only=True):
    id: int
    is_bot: bool
    first_name: str


class Chat(msgspec.Struct, kw_only=True):
    id: int
    type: str


class PhotoSize(msgspec.Struct, kw_only=True):
    file_id: str
    file_unique_id: str
    width: int
    height: int


class Document(msgspec.Struct, kw_only=True):
    file_id: str
    file_unique_id: str
    file_name: str | None = None


class Message(msgspec.Struct, kw_only=True, rename={"sender": "from"}):
    message_id: int
    date: int
    chat: Chat
    sender: User | None = None
    sender_chat: Chat | None = None
    is_automatic_forward: bool = False
    reply_to_message: "Message | None" = None
    text: str | None = None
    caption: str | None = None
    photo: list[PhotoSize] | None = None
    document: Document | None = None
    media_group_id: str | None = None
    edit_date: int | None = None


class Update(msgspec.Struct, kw_only=True):
    update_id: int
    message: Message | None = None
    edited_message: Message | None = None


def parse_update(value: Any) -> Update:
    """``value`` (decoded JSON) as an Update, strictly; MalformedPost names what does not fit."""
    try:
        return msgspec.convert(value, Update, strict=True)
    except msgspec.ValidationError as error:
        raise MalformedPost(f"Telegram Update: {error}") from None
