"""Replies on Telegram: a message in the same chat, as a reply to the author's message."""

from adapters.telegram.client import BotApi
from adapters.telegram.translate import message_ref, parse_ref
from application.replies.gateway import Confirmation, OutgoingReply, ReplyGateway
from domain.complaint import Channel


class TelegramReplyGateway(ReplyGateway):
    channel = Channel.TELEGRAM

    def __init__(self, api: BotApi) -> None:
        self.api = api

    def send(self, reply: OutgoingReply) -> str:
        chat_id, message_id = parse_ref(reply.source_ref)
        sent = self.api.call(
            "sendMessage",
            writes=True,
            chat_id=chat_id,
            text=reply.text,
            # Deleted by the author meanwhile: the answer still belongs in the chat.
            reply_parameters={"message_id": message_id, "allow_sending_without_reply": True},
        )
        return message_ref(chat_id, sent["message_id"])

    def confirm(self, reply: OutgoingReply) -> str | Confirmation:
        # The Bot API neither reads a chat's history nor takes an idempotency key.
        return Confirmation.UNKNOWABLE
