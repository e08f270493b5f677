"""Pulling the platform's feed of new appeals and citizens' messages, by cursor."""

from adapters.gosuslugi.client import PosApi
from adapters.gosuslugi.translate import from_appeal, from_message
from application.intake.source import Batch


class PosFeed:
    name = "gosuslugi:feed"

    def __init__(self, api: PosApi, *, limit: int = 100) -> None:
        self.api = api
        self.limit = limit

    def fetch(self, position: str | None) -> Batch:
        page = self.api.get("/api/v1/appeals/feed", cursor=position, limit=self.limit)
        posts = []
        for item in page["items"]:
            if item["type"] == "appeal.submitted":
                posts.append(from_appeal(item["appeal"]))
            elif item["type"] == "appeal.message" and item["message"]["author"] == "applicant":
                posts.append(from_message(item["appeal_id"], item["applicant_id"], item["message"]))
        return Batch(posts, page.get("next_cursor") or position)
