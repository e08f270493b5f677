"""Polling an OK group: new topics in its feed, and new comments under its latest topics."""

import json

from adapters.ok.client import OkApi
from adapters.ok.translate import from_comment, from_topic
from application.intake.source import Batch, Post


class OkGroupSource:
    def __init__(self, api: OkApi, *, group_id: str, topics: int, topics_followed: int) -> None:
        self.api = api
        self.group_id = group_id
        self.topics = topics
        self.topics_followed = topics_followed

    @property
    def name(self) -> str:
        return f"ok:group:{self.group_id}"

    def fetch(self, position: str | None) -> Batch:
        # OK's ids are opaque strings; time is the watermark. Items at the watermark's own
        # moment are read again, which intake ignores, so none are lost to equal timestamps.
        seen = json.loads(position) if position else {"topic_ms": 0, "comments": {}}
        feed = self.api.call("mediatopic.getTopics", gid=self.group_id, count=self.topics)
        topics = sorted(feed.get("media_topics", []), key=lambda topic: int(topic["created_ms"]))
        found = [
            post
            for topic in topics
            if int(topic["created_ms"]) >= seen["topic_ms"]
            if (post := from_topic(topic)) is not None
        ]
        comments_seen: dict[str, str] = {}
        for topic in topics[-self.topics_followed :]:
            topic_id = str(topic["id"])
            new, newest = self._comments_since(topic_id, seen["comments"].get(topic_id, ""))
            found += new
            comments_seen[topic_id] = newest
        newest_topic = max([seen["topic_ms"], *(int(topic["created_ms"]) for topic in topics)])
        return Batch(found, json.dumps({"topic_ms": newest_topic, "comments": comments_seen}))

    def _comments_since(self, topic_id: str, since: str) -> tuple[list[Post], str]:
        page = self.api.call("discussions.getComments", discussionId=topic_id, discussionType="GROUP_TOPIC", count=100)
        comments = page.get("comments", [])
        # "YYYY-MM-DD HH:MM:SS" sorts as text in time order.
        fresh = [comment for comment in comments if comment["date"] >= since]
        posts: list[Post] = [
            post
            for comment in fresh
            if (post := from_comment(comment, topic_id=topic_id, group_id=self.group_id)) is not None
        ]
        return posts, max([since, *(comment["date"] for comment in comments)])
