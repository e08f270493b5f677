"""The Bot API objects intake reads, as strict msgspec Structs shaped on its spec (Bot API 10.1).

Only the fields intake uses are declared, each with the spec's type and requirement; the
others (and other kinds of update) are ignored. A ``message_id`` that is not an integer is
refused, so nothing but integers ever becomes part of a message reference.
"""

from typing import Annotated, Any, Literal

import msgspec

from adapters.telegram.spec import check_update
from application.intake.source import MalformedPost

# "Always a positive number, representing a valid date" (the spec): past year 9999 it is not one.
UnixTime = Annotated[int, msgspec.Meta(gt=0, le=253_402_300_799)]


class User(msgspec.Struct, kw_only=True):
    id: int
    is_bot: bool
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None
    is_premium: bool = False


class Chat(msgspec.Struct, kw_only=True):
    id: int
    type: Literal["private", "group", "supergroup", "channel"]
    title: str | None = None
    username: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    is_forum: bool = False


class MessageEntity(msgspec.Struct, kw_only=True):
    type: str
    offset: int
    length: int


class PhotoSize(msgspec.Struct, kw_only=True):
    file_id: str
    file_unique_id: str
    width: int
    height: int


class Document(msgspec.Struct, kw_only=True):
    file_id: str
    file_unique_id: str
    file_name: str | None = None


# The Message fields the Bot API documents as service messages: a member joined or left, a
# message was pinned, a topic or a video chat opened, a payment or a gift arrived... Their
# values are not read, only whether one is there.
SERVICE_FIELDS = (
    "new_chat_members", "left_chat_member", "chat_owner_left", "chat_owner_changed", "new_chat_title",
    "new_chat_photo", "delete_chat_photo", "group_chat_created", "supergroup_chat_created",
    "channel_chat_created", "message_auto_delete_timer_changed", "migrate_to_chat_id", "migrate_from_chat_id",
    "pinned_message", "invoice", "successful_payment", "refunded_payment", "users_shared", "chat_shared", "gift",
    "unique_gift", "gift_upgrade_sent", "connected_website", "write_access_allowed", "passport_data",
    "proximity_alert_triggered", "boost_added", "chat_background_set", "checklist_tasks_done",
    "checklist_tasks_added", "direct_message_price_changed", "forum_topic_created", "forum_topic_edited",
    "forum_topic_closed", "forum_topic_reopened", "general_forum_topic_hidden", "general_forum_topic_unhidden",
    "giveaway_created", "giveaway", "giveaway_winners", "giveaway_completed", "managed_bot_created",
    "paid_message_price_changed", "poll_option_added", "poll_option_deleted", "suggested_post_approved",
    "suggested_post_approval_failed", "suggested_post_declined", "suggested_post_paid",
    "suggested_post_refunded", "video_chat_scheduled", "video_chat_started", "video_chat_ended",
    "video_chat_participants_invited", "web_app_data",
)  # fmt: skip
_ServiceFields = msgspec.defstruct(
    "_ServiceFields", [(name, Any, msgspec.UNSET) for name in SERVICE_FIELDS], kw_only=True
)


class Message(_ServiceFields, kw_only=True, rename={"sender": "from"}):  # type: ignore[misc,valid-type]
    message_id: int
    date: UnixTime
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
    entities: list[MessageEntity] = []
    via_bot: User | None = None
    message_thread_id: int | None = None
    is_topic_message: bool = False
    edit_date: UnixTime | None = None
    author_signature: str | None = None
    has_protected_content: bool = False

    @property
    def is_service(self) -> bool:
        return any(getattr(self, name) is not msgspec.UNSET for name in SERVICE_FIELDS)


class Update(msgspec.Struct, kw_only=True):
    update_id: int
    message: Message | None = None
    edited_message: Message | None = None


def parse_update(value: Any) -> Update:
    """``value`` (decoded JSON) as an Update, strictly; MalformedPost names what does not fit."""
    check_update(value)
    try:
        return msgspec.convert(value, Update, strict=True)
    except msgspec.ValidationError as error:
        raise MalformedPost(f"Telegram Update: {error}") from None
