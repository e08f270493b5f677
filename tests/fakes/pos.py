"""A fake of the ПОС platform's side of our contract (docs/pos-contract.md)."""

import itertools
from collections import deque
from datetime import timedelta
from typing import Any

from tests.fakes.http import Reply, Request
from tests.fixtures import START


class FakePos:
    def __init__(self, *, token: str) -> None:
        self.token = token
        self.feed: list[dict[str, Any]] = []
        self.answers: dict[tuple[str, str], dict[str, Any]] = {}
        self.puts: list[tuple[str, str, dict[str, Any]]] = []
        self._faults: deque[Reply] = deque()
        self._ids = itertools.count(1)
        self._moment = START - timedelta(hours=2)

    def fail(self, *replies: Reply) -> None:
        self._faults.extend(replies)

    def submit(
        self, *, text: str, address: str | None, rubric: str = "Благоустройство", applicant: str = "esia-7f3a"
    ) -> dict[str, Any]:
        self._moment += timedelta(minutes=1)
        appeal = {
            "id": f"ПОС-{next(self._ids):07d}",
            "rubric": rubric,
            "text": text,
            "address": address,
            "attachments": [],
            "submitted_at": self._moment.isoformat(),
            "deadline": (self._moment + timedelta(days=30)).isoformat(),
            "status": "submitted",
            "applicant_id": applicant,
        }
        self.feed.append({"type": "appeal.submitted", "appeal": appeal})
        return appeal

    def write(self, appeal: dict[str, Any], text: str) -> None:
        self._moment += timedelta(minutes=1)
        self.feed.append(
            {
                "type": "appeal.message",
                "appeal_id": appeal["id"],
                "applicant_id": appeal["applicant_id"],
                "message": {
                    "id": str(next(self._ids)),
                    "author": "applicant",
                    "text": text,
                    "sent_at": self._moment.isoformat(),
                },
            }
        )

    def handle(self, request: Request) -> Reply:
        if request.headers.get("authorization") != f"Bearer {self.token}":
            return Reply.json({"error": {"code": "unauthorized", "message": "bad token"}}, 401)
        if self._faults:
            return self._faults.popleft()
        parts = request.path.strip("/").split("/")
        if request.path == "/api/v1/appeals/feed":
            start = int(request.query.get("cursor") or 0)
            page = self.feed[start : start + int(request.query.get("limit", 100))]
            return Reply.json({"items": page, "next_cursor": str(start + len(page))})
        if len(parts) == 6 and parts[:3] == ["api", "v1", "appeals"] and parts[4] == "answers":
            key = (parts[3], parts[5])
            if request.method == "GET":
                found = self.answers.get(key)
                return Reply.json(found) if found else Reply.json({"error": {"code": "not_found", "message": ""}}, 404)
            body = request.json()
            self.puts.append((parts[3], parts[5], body))
            existed = key in self.answers
            self.answers.setdefault(key, {"appeal_id": parts[3], "answer_id": parts[5], **body})
            return Reply.json(self.answers[key], 200 if existed else 201)
        return Reply.json({"error": {"code": "not_found", "message": request.path}}, 404)
