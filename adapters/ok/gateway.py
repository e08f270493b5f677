"""Replies on OK: a comment from the group in the topic's discussion."""

from adapters.ok.client import OkApi
from adapters.ok.translate import comment_ref, parse_ref
from application.replies.gateway import Confirmation, OutgoingReply, ReplyGateway
from domain.complaint import Channel


class OkReplyGateway(ReplyGateway):
    channel = Channel.OK

    def __init__(self, api: OkApi, *, group_id: str) -> None:
        self.api = api
        self.group_id = group_id

    def send(self, reply: OutgoingReply) -> str:
        topic_id, comment_id = parse_ref(reply.source_ref)
        created = self.api.call(
            "discussions.comment",
            writes=True,
            discussionId=topic_id,
            discussionType="GROUP_TOPIC",
            text=reply.text,
            reply_to_comment_id=comment_id,
            as_group="true",
        )
        return comment_ref(topic_id, str(created["id"]))

    def confirm(self, reply: OutgoingReply) -> str | Confirmation:
        # OK takes no idempotency key, but the discussion can be read: our comment is there or not.
        topic_id, _ = parse_ref(reply.source_ref)
        page = self.api.call("discussions.getComments", discussionId=topic_id, discussionType="GROUP_TOPIC", count=100)
        for comment in page.get("comments", []):
            if str(comment.get("author_id")) == self.group_id and comment.get("text") == reply.text:
                return comment_ref(topic_id, str(comment["id"]))
        return Confirmation.NOT_SENT
