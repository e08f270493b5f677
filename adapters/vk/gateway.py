"""Replies on VK: a comment from the community under the post, in the author's thread."""

from adapters.vk.client import VkApi
from adapters.vk.translate import comment_ref, parse_ref
from application.replies.gateway import Confirmation, OutgoingReply, ReplyGateway
from domain.complaint import Channel

_SEARCHED_COMMENTS = 100


class VkReplyGateway(ReplyGateway):
    channel = Channel.VK

    def __init__(self, *, writer: VkApi, reader: VkApi, community_id: int) -> None:
        # wall.createComment takes the community's token; wall.getComments a service token.
        self.writer = writer
        self.reader = reader
        self.community_id = community_id

    def send(self, reply: OutgoingReply) -> str:
        owner_id, post_id, comment_id = parse_ref(reply.source_ref)
        created = self.writer.call(
            "wall.createComment",
            writes=True,
            owner_id=owner_id,
            post_id=post_id,
            from_group=self.community_id,
            message=reply.text,
            reply_to_comment=comment_id,
            # VK's own guard against repeated comments: a resend of this delivery is one comment.
            guid=str(reply.delivery_id),
        )
        return comment_ref(owner_id, post_id, created["comment_id"])

    def confirm(self, reply: OutgoingReply) -> str | Confirmation:
        owner_id, post_id, comment_id = parse_ref(reply.source_ref)
        page = self.reader.call(
            "wall.getComments",
            owner_id=owner_id,
            post_id=post_id,
            sort="desc",
            count=_SEARCHED_COMMENTS,
            comment_id=comment_id,
            thread_items_count=10,
        )
        comments = []
        for comment in page["items"]:
            comments += [comment, *comment.get("thread", {}).get("items", [])]
        for comment in comments:
            if comment.get("from_id") == -self.community_id and comment.get("text") == reply.text:
                return comment_ref(owner_id, post_id, comment["id"])
        return Confirmation.NOT_SENT
