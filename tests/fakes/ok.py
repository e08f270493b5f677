"""A fake OK REST API (``/fb.do``) on loopback: it checks the signature as OK documents it."""

import hashlib
import itertools
from collections import deque
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from tests.fakes.http import Reply, Request
from tests.fixtures import START

MOSCOW = ZoneInfo("Europe/Moscow")
MESSAGES = {
    2: "SERVICE : Service temporary unavailable",
    8: "FLOOD_BLOCKED : Flood blocked",
    10: "PERMISSION_DENIED : Permission denied",
    11: "LIMIT_REACHED : Limit reached",
}


class FakeOk:
    def __init__(self, *, application_key: str, secret_key: str, access_token: str, group_id: str) -> None:
        self.application_key = application_key
        self.secret_key = secret_key
        self.access_token = access_token
        self.group_id = group_id
        self.topics: list[dict[str, Any]] = []
        self.comments: dict[str, list[dict[str, Any]]] = {}
        self.posted: list[dict[str, str]] = []
        self.calls: list[dict[str, str]] = []
        self._faults: dict[str, deque[int]] = {}
        self._ids = itertools.count(9_000_000_000_000)
        self._moment = START - timedelta(hours=2)

    def fail(self, method: str, *error_codes: int) -> None:
        self._faults.setdefault(method, deque()).extend(error_codes)

    def add_topic(self, *, author: str, text: str) -> dict[str, Any]:
        self._moment += timedelta(minutes=1)
        topic = {
            "id": str(next(self._ids)),
            "created_ms": int(self._moment.timestamp() * 1000),
            "author_ref": author,
            "owner_ref": f"group:{self.group_id}",
            "media": [{"type": "text", "text": text}],
        }
        self.topics.append(topic)
        return topic

    def add_comment(self, *, topic_id: str, author_id: str, text: str, reply_to: str | None = None) -> dict[str, Any]:
        self._moment += timedelta(minutes=1)
        comment = {
            "id": str(next(self._ids)),
            "text": text,
            "author_id": author_id,
            "date": self._moment.astimezone(MOSCOW).strftime("%Y-%m-%d %H:%M:%S"),
        }
        if reply_to:
            comment["reply_to_comment_id"] = reply_to
        self.comments.setdefault(topic_id, []).append(comment)
        return comment

    def expected_sig(self, params: dict[str, str]) -> str:
        secret = hashlib.md5((params["access_token"] + self.secret_key).encode()).hexdigest()
        pairs = "".join(f"{k}={params[k]}" for k in sorted(params) if k not in ("sig", "access_token"))
        return hashlib.md5((pairs + secret).encode()).hexdigest()

    def handle(self, request: Request) -> Reply:
        params = request.form()
        self.calls.append(params)
        if request.path != "/fb.do" or params.get("application_key") != self.application_key:
            return self._error(101, "PARAM_API_KEY : Application key is invalid")
        if params.get("access_token") != self.access_token:
            return self._error(102, "PARAM_SESSION_EXPIRED : Session expired")
        if params.get("sig") != self.expected_sig(params):
            return self._error(104, "PARAM_SIGNATURE : Invalid signature")
        method = params["method"]
        queue = self._faults.get(method)
        if queue:
            code = queue.popleft()
            return self._error(code, MESSAGES.get(code, "UNKNOWN : Unknown error"))
        return Reply.json(getattr(self, "_" + method.replace(".", "_"))(params))

    @staticmethod
    def _error(code: int, message: str) -> Reply:
        return Reply.json({"error_code": code, "error_msg": message, "error_data": None})

    def _mediatopic_getTopics(self, params: dict[str, str]) -> dict[str, Any]:
        newest = sorted(self.topics, key=lambda t: -t["created_ms"])[: int(params.get("count", 20))]
        return {"media_topics": newest, "has_more": False}

    def _discussions_getComments(self, params: dict[str, str]) -> dict[str, Any]:
        assert params["discussionType"] == "GROUP_TOPIC"
        return {"comments": self.comments.get(params["discussionId"], []), "has_more": False}

    def _discussions_comment(self, params: dict[str, str]) -> dict[str, Any]:
        comment = self.add_comment(
            topic_id=params["discussionId"],
            author_id=self.group_id,
            text=params["text"],
            reply_to=params.get("reply_to_comment_id"),
        )
        self.posted.append(params)
        return {"id": comment["id"]}
