"""The VK Callback API: the handshake, the secret, and the wall events that carry posts.

VK expects the plain answer ``ok`` within seconds and repeats an event otherwise, so the
endpoint answers at once and hands the posts on; if processing then fails, polling the same
wall finds the post again, and intake registers it once whichever way it came.
"""

import hmac
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

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
        kind = payload.get("type")
        if kind == "confirmation":
            return CallbackAnswer(200, self._confirmation_code)
        item = payload.get("object")
        if not isinstance(item, Mapping):
            return CallbackAnswer(200, OK)
        post = None
        if kind == "wall_post_new":
            post = from_wall_post(item)
        elif kind == "wall_reply_new":
            post = from_comment(
                item,
                owner_id=item["owner_id"],
                post_id=item["post_id"],
                community_id=self.community_id,
            )
        return CallbackAnswer(200, OK, [post] if post is not None else [])

    def _secret_matches(self, payload: Mapping[str, Any]) -> bool:
        given = payload.get("secret")
        return isinstance(given, str) and hmac.compare_digest(given.encode(), self._secret.encode())
