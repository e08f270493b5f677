"""The VK Callback API: the handshake, the secret, and the wall events that carry posts.

Several communities send their events here: the administration's own and the big city publics.
Each is known by the ``group_id`` VK puts in every request; one not configured is refused 403,
as is a request whose secret is wrong or missing where the community has one. VK's
confirmation request is the bare ``{"type": "confirmation", "group_id": …}`` and is answered
that community's confirmation string (a secret it does carry must still match).

VK expects the plain answer ``ok`` within seconds and repeats an event otherwise, so the
endpoint records the posts durably and answers; intake takes them from that record. An event
from a known community but without the shape VK's schema gives it (no ``object``, an empty
one, a field of another type) raises MalformedPost: it is answered 400, not ``ok``, since
repeating it cannot help. Events the service does not read but that are well-formed are ``ok``.
"""

import hmac
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from adapters.vk.schema import check_event
from adapters.vk.shapes import Addressed, CallbackEvent, CommentDeletion, WallPost, WallReply, parsed
from adapters.vk.translate import from_comment, from_comment_change, from_comment_deletion, from_wall_post
from application.intake.source import Change, MalformedPost, Post, Removal


@dataclass(frozen=True, slots=True)
class CallbackAnswer:
    status: int
    body: str
    posts: list[Post | Removal] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class CallbackCommunity:
    id: int
    confirmation_code: str
    secret: str = ""
    # A city public whose own posts relay its subscribers' complaints ("Пишет подписчица: …").
    relays: bool = False


OK = "ok"
_FORBIDDEN = CallbackAnswer(403, "forbidden")
# Changes of a comment after it was published: facts about the complaint it may have become.
_COMMENT_CHANGES = {"wall_reply_edit": Change.EDITED, "wall_reply_restore": Change.RESTORED}


class VkCallback:
    def __init__(self, communities: Iterable[CallbackCommunity]) -> None:
        self.communities = {community.id: community for community in communities}

    def handle(self, payload: Mapping[str, Any]) -> CallbackAnswer:
        addressed = parsed(payload, Addressed)
        community = self.communities.get(addressed.group_id)
        if community is None:
            return _FORBIDDEN
        if community.secret and not _matches(addressed.secret, community.secret):
            # The bare confirmation request carries no secret; one it does carry must match.
            if addressed.type != "confirmation" or addressed.secret is not None:
                return _FORBIDDEN
        if addressed.type == "confirmation":
            if not community.confirmation_code:
                return _FORBIDDEN
            return CallbackAnswer(200, community.confirmation_code)
        check_event(dict(payload))
        event = parsed(payload, CallbackEvent)
        if not event.object:
            raise MalformedPost(f"VK {event.type}: the event's object is empty")
        if event.type in _COMMENT_CHANGES or event.type == "wall_reply_delete":
            return CallbackAnswer(200, OK, self._comment_change(event))
        post = self._post(event, community)
        return CallbackAnswer(200, OK, [post] if post is not None else [])

    @staticmethod
    def _post(event: CallbackEvent, community: CallbackCommunity) -> Post | None:
        if event.type == "wall_post_new":
            return from_wall_post(parsed(event.object, WallPost), own_posts_are_complaints=community.relays)
        if event.type == "wall_reply_new":
            reply = parsed(event.object, WallReply)
            return from_comment(reply, owner_id=reply.wall_owner, post_id=reply.post_id)
        # Other events the community may be subscribed to carry no post of a resident.
        return None

    @staticmethod
    def _comment_change(event: CallbackEvent) -> list[Post | Removal]:
        if event.type == "wall_reply_delete":
            return [from_comment_deletion(parsed(event.object, CommentDeletion), event_id=event.event_id)]
        reply = parsed(event.object, WallReply)
        change = from_comment_change(
            reply,
            _COMMENT_CHANGES[event.type],
            owner_id=reply.wall_owner,
            post_id=reply.post_id,
            event_id=event.event_id,
        )
        return [change] if change is not None else []


def _matches(given: str | None, secret: str) -> bool:
    """In constant time: how much of a guess was right must not show in the answer's timing."""
    return given is not None and hmac.compare_digest(given.encode(), secret.encode())
