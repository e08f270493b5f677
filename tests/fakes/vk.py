"""A fake VK API on loopback: walls, threaded comments, search, comment creation, VK's errors.

Every answer it gives is checked against VK's JSON Schema before it leaves, so the adapter
is tested on shapes VK documents, not on shapes this file imagines.
"""

import itertools
import threading
from collections import deque
from dataclasses import dataclass
from typing import Any

from tests.fakes.http import Reply, Request
from tests.fakes.schemas import VkSchema
from tests.fixtures import START

_WRITES = {"wall.createComment"}
ERROR_MESSAGES = {
    5: "User authorization failed: invalid access_token",
    6: "Too many requests per second",
    9: "Flood control",
    10: "Internal server error",
    15: "Access denied",
    18: "User was deleted or banned",
    29: "Rate limit reached",
    30: "This profile is private",
}


@dataclass
class Fault:
    error_code: int | None = None
    http_status: int | None = None
    delay: float = 0.0
    # Act on the request, then hold or lose the answer: a network that did the work but
    # whose answer never came back.
    act_first: bool = False


class FakeVk:
    def __init__(
        self,
        *,
        schema: VkSchema,
        service_token: str,
        community_token: str,
        community_id: int,
        now: int = int(START.timestamp()) - 7200,
    ) -> None:
        self.schema = schema
        self.service_token = service_token
        self.community_token = community_token
        self.community_id = community_id
        # A community's token writes only as that community (from_group).
        self.community_tokens = {community_id: community_token}
        self.now = now
        self.posts: dict[int, list[dict[str, Any]]] = {}  # owner_id → posts
        self.comments: dict[tuple[int, int], list[dict[str, Any]]] = {}  # top level, threads inside
        self.created: list[dict[str, Any]] = []
        self.calls: list[tuple[str, dict[str, str]]] = []
        self._faults: dict[str, deque[Fault]] = {}
        self._guids: dict[str, int] = {}
        self._ids = itertools.count(100)
        self._lock = threading.Lock()

    # Scripting.

    def fail(self, method: str, *faults: Fault) -> None:
        self._faults.setdefault(method, deque()).extend(faults)

    def add_community(self, community_id: int, token: str) -> None:
        self.community_tokens[community_id] = token

    def add_post(self, *, owner_id: int, from_id: int, text: str, post_type: str = "post") -> dict[str, Any]:
        post = {
            "inner_type": "wall_wallpost",
            "id": next(self._ids),
            "owner_id": owner_id,
            "from_id": from_id,
            "date": self._tick(),
            "text": text,
            "post_type": post_type,
            "comments": {"count": 0},
        }
        self.schema.check("wall/objects.json#/definitions/wall_wallpost", post)
        self.posts.setdefault(owner_id, []).append(post)
        return post

    def add_comment(
        self, *, owner_id: int, post_id: int, from_id: int, text: str, reply_to_comment: int | None = None
    ) -> dict[str, Any]:
        with self._lock:
            return self._comment(owner_id, post_id, from_id, text, reply_to_comment)

    def comments_by(self, from_id: int) -> list[dict[str, Any]]:
        every = [c for top in itertools.chain(*self.comments.values()) for c in [top, *top["thread"]["items"]]]
        return [c for c in every if c["from_id"] == from_id]

    def photo(self, *, owner_id: int) -> dict[str, Any]:
        """A photo attachment (wall_wallpost_attachment / wall_comment_attachment), as VK lists it."""
        photo_id = next(self._ids)
        sizes = [
            {
                "type": kind,
                "width": width,
                "height": width * 3 // 4,
                "url": f"https://sun9-1.userapi.com/{photo_id}/{kind}.jpg",
            }
            for kind, width in (("m", 130), ("x", 604), ("z", 1280))
        ]
        photo = {"id": photo_id, "owner_id": owner_id, "album_id": -7, "date": self._tick(), "has_tags": False}
        attachment = {"type": "photo", "photo": {**photo, "sizes": sizes}}
        self.schema.check("wall/objects.json#/definitions/wall_comment_attachment", attachment)
        return attachment

    def deletion(self, comment: dict[str, Any], *, deleter_id: int) -> dict[str, Any]:
        """The object of wall_reply_delete: VK's schema calls the deleter user_id, its
        Callback API documentation deleter_id; both are sent."""
        return {
            "id": comment["id"],
            "owner_id": comment["owner_id"],
            "post_id": comment["post_id"],
            "user_id": deleter_id,
            "deleter_id": deleter_id,
        }

    def callback(
        self, kind: str, item: dict[str, Any], *, secret: str | None, group_id: int | None = None
    ) -> dict[str, Any]:
        """A Callback API event as VK would post it to our endpoint, checked against the schema;
        ``secret`` None for a community that has none set."""
        event = {
            "type": kind,
            "group_id": group_id or self.community_id,
            "event_id": f"e{next(self._ids)}",
            "v": "5.199",
            "object": item,
        }
        if secret is not None:
            event["secret"] = secret
        self.schema.check("callback/objects.json#/definitions/callback_base", event)
        definition = "callback_wall_comment_delete" if kind == "wall_reply_delete" else f"callback_{kind}"
        self.schema.check(f"callback/objects.json#/definitions/{definition}", item)
        return event

    # Serving.

    def handle(self, request: Request) -> Reply:
        method = request.path.removeprefix("/method/")
        params = request.form()
        self.calls.append((method, params))
        wanted = (
            self.community_tokens.get(int(params.get("from_group", 0))) if method in _WRITES else self.service_token
        )
        if params.get("access_token") != wanted or params.get("v") != "5.199":
            return self._answer(method, self._error(5))
        fault = self._faults.get(method, deque()).popleft() if self._faults.get(method) else None
        if fault and fault.http_status and not fault.act_first:
            return Reply(status=fault.http_status, body="<html>502 Bad Gateway</html>")
        if fault and fault.error_code:
            return self._answer(method, self._error(fault.error_code))
        with self._lock:
            body = {"response": getattr(self, "_" + method.replace(".", "_"))(params)}
        if fault and fault.http_status:
            return Reply(status=fault.http_status, body="<html>502 Bad Gateway</html>", delay=fault.delay)
        reply = self._answer(method, body)
        reply.delay = fault.delay if fault else 0.0
        return reply

    def _answer(self, method: str, body: dict[str, Any]) -> Reply:
        self.schema.check_response(method, body)
        return Reply.json(body)

    @staticmethod
    def _error(code: int) -> dict[str, Any]:
        return {
            "error": {
                "inner_type": "base_error",
                "error_code": code,
                "error_msg": ERROR_MESSAGES.get(code, "Unknown error occurred"),
            }
        }

    def _wall_get(self, params: dict[str, str]) -> dict[str, Any]:
        owner_id = -int(params["domain"].removeprefix("club"))
        posts = sorted(self.posts.get(owner_id, []), key=lambda p: -p["id"])
        return {"count": len(posts), "items": posts[: int(params.get("count", 20))]}

    def _wall_getComments(self, params: dict[str, str]) -> dict[str, Any]:
        key = (int(params["owner_id"]), int(params["post_id"]))
        top = self.comments.get(key, [])
        per_thread = int(params.get("thread_items_count", 0))
        if params.get("comment_id"):
            root = next(c for c in top if c["id"] == int(params["comment_id"]))
            items = [dict(c) for c in root["thread"]["items"]]
        else:
            items = [
                {**c, "thread": {"count": c["thread"]["count"], "items": c["thread"]["items"][:per_thread]}}
                for c in top
            ]
        if params.get("sort") == "desc":
            items.reverse()
        return {"count": len(items), "items": items[: int(params.get("count", 10))]}

    def _wall_createComment(self, params: dict[str, str]) -> dict[str, Any]:
        guid = params.get("guid")
        if guid and guid in self._guids:
            return {"comment_id": self._guids[guid]}
        reply_to = int(params["reply_to_comment"]) if params.get("reply_to_comment") else None
        comment = self._comment(
            int(params["owner_id"]), int(params["post_id"]), -int(params["from_group"]), params["message"], reply_to
        )
        self.created.append(params)
        if guid:
            self._guids[guid] = comment["id"]
        return {"comment_id": comment["id"]}

    def _newsfeed_search(self, params: dict[str, str]) -> dict[str, Any]:
        since = int(params.get("start_time", 0))
        query = params["q"].lower()
        found = [p for posts in self.posts.values() for p in posts if query in p["text"].lower() and p["date"] >= since]
        found.sort(key=lambda p: -p["date"])
        return {"count": len(found), "items": found[: int(params.get("count", 30))]}

    def _comment(self, owner_id: int, post_id: int, from_id: int, text: str, reply_to: int | None) -> dict[str, Any]:
        comment: dict[str, Any] = {
            "id": next(self._ids),
            "from_id": from_id,
            "date": self._tick(),
            "text": text,
            "post_id": post_id,
            "owner_id": owner_id,
            "parents_stack": [],
            "thread": {"count": 0, "items": []},
        }
        top = self.comments.setdefault((owner_id, post_id), [])
        root = next(
            (c for c in top if c["id"] == reply_to or any(t["id"] == reply_to for t in c["thread"]["items"])), None
        )
        if root is None:
            top.append(comment)
        else:
            comment.update(parents_stack=[root["id"]], reply_to_comment=reply_to)
            del comment["thread"]
            root["thread"]["items"].append(comment)
            root["thread"]["count"] += 1
        self.schema.check("wall/objects.json#/definitions/wall_wall_comment", comment)
        for post in self.posts.get(owner_id, []):
            if post["id"] == post_id:
                post["comments"]["count"] += 1
        return comment

    def _tick(self) -> int:
        self.now += 60
        return self.now
