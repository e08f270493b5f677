"""Replies on VK: a comment from a community under the post, in the author's thread.

Several communities may have their own token. A reply under a post of one of them is written
by that community with its token; under any other wall (a city public without a token here, a
person's wall found by search) by the first community that has one, the administration's.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from adapters.vk.client import VkApi
from adapters.vk.translate import comment_ref, parse_ref
from application.replies.gateway import Confirmation, OutgoingReply, ReplyGateway
from domain.complaint import Channel

_SEARCHED_COMMENTS = 100


@dataclass(frozen=True, slots=True)
class Writer:
    """A community that answers, and the API client that carries its token."""

    community_id: int
    api: VkApi


class VkReplyGateway(ReplyGateway):
    channel = Channel.VK

    def __init__(self, *, writers: Sequence[Writer], reader: VkApi) -> None:
        # wall.createComment takes the community's token; wall.getComments a service token.
        if not writers:
            raise ValueError("VK replies need at least one community with a token")
        self.writers = {writer.community_id: writer for writer in writers}
        self.default = writers[0]
        self.reader = reader

    def writer_for(self, owner_id: int) -> Writer:
        """The community whose wall it is, where it has a token here; otherwise the first one."""
        return self.writers.get(-owner_id, self.default)

    def send(self, reply: OutgoingReply) -> str:
        owner_id, post_id, comment_id = parse_ref(reply.source_ref)
        writer = self.writer_for(owner_id)
        created = writer.api.call(
            "wall.createComment",
            writes=True,
            owner_id=owner_id,
            post_id=post_id,
            from_group=writer.community_id,
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
        author = -self.writer_for(owner_id).community_id
        for comment in comments:
            if comment.get("from_id") == author and comment.get("text") == reply.text:
                return comment_ref(owner_id, post_id, comment["id"])
        return Confirmation.NOT_SENT
