"""The VK Callback API: the handshake, the secret, and the wall events that carry posts.

VK expects the plain answer ``ok`` within seconds and repeats an event otherwise, so the
endpoint records the posts durably and answers; intake takes them from that record. An event
with our secret but without the shape VK's schema gives it raises MalformedPost: it is
answered 400, not ``ok``, since repeating it cannot help.
"""

import hmac
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from adapters.vk.shapes import CallbackEvent, CommentDeletion, WallPost, WallReply, parsed
from adapters.vk.translate import from_comment, from_comment_change, from_comment_deletion, from_wall_post
from application.intake.source import Change, Post, Removal


@dataclass(frozen=True, slots=True)
class CallbackAnswer:
    status: int
    body: str
    posts: list[Post | Removal] = field(default_factory=list)


OK = "ok"
_FORBIDDEN = CallbackAnswer(403, "forbidden")
# Changes of a comment after it was published: facts about the complaint it may have become.
_COMMENT_CHANGES = {"wall_reply_edit": Change.EDITED, "wall_reply_restore": Change.RESTORED}


class VkCallback:
    def __init__(self, *, community_id: int, secret: str, confirmation_code: str) -> None:
        self.community_id = community_id
        self._secret = secret
        self._confirmation_code = confirmation_code

    def handle(self, payload: Mapping[str, Any]) -> CallbackAnswer:
        if payload.get("group_id") != self.community_id or not self._secret_matches(payload):
            return _FORBIDDEN
        event = parsed(payload, CallbackEvent)
        if event.type == "confirmation":
            return CallbackAnswer(200, self._confirmation_code)
        if event.type in _COMMENT_CHANGES or event.type == "wall_reply_delete":
            return CallbackAnswer(200, OK, self._comment_change(event))
        post = None
        if event.type == "wall_post_new":
            post = from_wall_post(parsed(event.object, WallPost))
        elif event.type == "wall_reply_new":
            reply = parsed(event.object, WallReply)
            post = from_comment(reply, owner_id=reply.owner_id, post_id=reply.post_id, community_id=self.community_id)
        # Other events the community may be subscribed to carry no post of a resident.
        return CallbackAnswer(200, OK, [post] if post is not None else [])

    def _comment_change(self, event: CallbackEvent) -> list[Post | Removal]:
        if event.type == "wall_reply_delete":
            return [from_comment_deletion(parsed(event.object, CommentDeletion), event_id=event.event_id)]
        reply = parsed(event.object, WallReply)
        change = from_comment_change(
            reply,
            _COMMENT_CHANGES[event.type],
            owner_id=reply.owner_id,
            post_id=reply.post_id,
            community_id=self.community_id,
            event_id=event.event_id,
        )
        return [change] if change is not None else []

    def _secret_matches(self, payload: Mapping[str, Any]) -> bool:
        given = payload.get("secret")
        return isinstance(given, str) and hmac.compare_digest(given.encode(), self._secret.encode())
