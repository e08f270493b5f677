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

from adapters.vk.shapes import CallbackEvent, WallPost, WallReply, parsed
from adapters.vk.translate import from_comment, from_wall_post
from application.intake.source import Post


@dataclass(frozen=True, slots=True)
class CallbackAnswer:
    status: int
    body: str
    posts: list[Post] = field(default_factory=list)


OK = "ok"
_FORBIDDEN = CallbackAnswer(403, "forbidden")


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
        post = None
        if event.type == "wall_post_new":
            post = from_wall_post(parsed(event.object, WallPost))
        elif event.type == "wall_reply_new":
            reply = parsed(event.object, WallReply)
            post = from_comment(reply, owner_id=reply.owner_id, post_id=reply.post_id, community_id=self.community_id)
        # Other events the community may be subscribed to carry no post of a resident.
        return CallbackAnswer(200, OK, [post] if post is not None else [])

    def _secret_matches(self, payload: Mapping[str, Any]) -> bool:
        given = payload.get("secret")
        return isinstance(given, str) and hmac.compare_digest(given.encode(), self._secret.encode())
