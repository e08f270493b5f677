"""Answers on ПОС: published into the citizen's Gosuslugi account with the appeal's new status."""

from adapters.gosuslugi.client import PosApi
from adapters.gosuslugi.translate import appeal_id_of
from application.replies.gateway import Confirmation, OutgoingReply, ReplyGateway
from domain.complaint import Channel
from domain.delivery import ReplyKind

# The appeal's status on the platform after each kind of answer (docs/pos-contract.md).
STATUS_AFTER = {
    ReplyKind.CLARIFICATION_REQUEST: "clarification_requested",
    ReplyKind.RESPONSE: "in_progress",
    ReplyKind.RESOLUTION: "answered",
}


class PosReplyGateway(ReplyGateway):
    channel = Channel.GOSUSLUGI

    def __init__(self, api: PosApi) -> None:
        self.api = api

    def send(self, reply: OutgoingReply) -> str:
        appeal_id = appeal_id_of(reply.source_ref)
        self.api.put(
            _answer_path(appeal_id, reply),
            {"text": reply.text, "status": STATUS_AFTER[ReplyKind(reply.kind)]},
        )
        return _answer_path(appeal_id, reply)

    def confirm(self, reply: OutgoingReply) -> str | Confirmation:
        path = _answer_path(appeal_id_of(reply.source_ref), reply)
        return path if self.api.get(path) is not None else Confirmation.NOT_SENT


def _answer_path(appeal_id: str, reply: OutgoingReply) -> str:
    # Our delivery id is the answer's key: a repeated PUT is the same answer, never a second.
    return f"/api/v1/appeals/{appeal_id}/answers/{reply.delivery_id}"
