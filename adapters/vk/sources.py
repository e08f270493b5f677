"""Polling VK: the configured communities' walls with their comments, and newsfeed search.

Polling is the safety net under the Callback API (an event VK gave up on, an endpoint that
was down) and the only way to read the city publics, which are not ours to subscribe to.
"""

import json
import logging
from typing import Any, TypeVar

from adapters.vk.client import VkApi
from adapters.vk.shapes import Comment, WallPost, parsed
from adapters.vk.translate import from_comment, from_wall_post
from application.intake.source import Batch, MalformedPost, Post

log = logging.getLogger("mcu.intake.vk")
T = TypeVar("T")

# Thread replies come nested under their top-level comment; this many per comment is read.
_THREAD_ITEMS = 10


class VkWallSource:
    """New posts on a community's wall, and new comments under its latest posts."""

    def __init__(self, api: VkApi, *, community_id: int, posts: int, posts_followed: int) -> None:
        self.api = api
        self.community_id = community_id
        self.posts = posts
        self.posts_followed = posts_followed

    @property
    def name(self) -> str:
        return f"vk:wall:{self.community_id}"

    def fetch(self, position: str | None) -> Batch:
        seen = json.loads(position) if position else {"post": 0, "comments": {}}
        wall = self.api.call("wall.get", domain=f"club{self.community_id}", count=self.posts)
        items = sorted(_well_formed(self.name, wall["items"], WallPost), key=lambda item: item.id)
        found = [post for item in items if item.id > seen["post"] if (post := from_wall_post(item)) is not None]
        comments_seen: dict[str, int] = {}
        for item in items[-self.posts_followed :]:
            last = seen["comments"].get(str(item.id), 0)
            new, newest = self._comments_after(item.owner_id, item.id, last)
            found += new
            comments_seen[str(item.id)] = newest
        newest_post = max([seen["post"], *(item.id for item in items)])
        return Batch(found, json.dumps({"post": newest_post, "comments": comments_seen}))

    def _comments_after(self, owner_id: int, post_id: int, last: int) -> tuple[list[Post], int]:
        page = self.api.call(
            "wall.getComments",
            owner_id=owner_id,
            post_id=post_id,
            sort="asc",
            count=100,
            thread_items_count=_THREAD_ITEMS,
        )
        comments: list[Comment] = []
        for comment in _well_formed(self.name, page["items"], Comment):
            comments += [comment, *(comment.thread.items if comment.thread is not None else [])]
        posts = [
            post
            for comment in comments
            if comment.id > last
            if (post := from_comment(comment, owner_id=owner_id, post_id=post_id)) is not None
        ]
        return posts, max([last, *(comment.id for comment in comments)])


class VkSearchSource:
    """Posts in the big city publics that match a keyword, through newsfeed.search."""

    def __init__(self, api: VkApi, *, query: str, count: int) -> None:
        self.api = api
        self.query = query
        self.count = count

    @property
    def name(self) -> str:
        return f"vk:search:{self.query}"

    def fetch(self, position: str | None) -> Batch:
        params: dict[str, Any] = {"q": self.query, "count": self.count}
        if position:
            # Inclusive on VK's side: the last post seen comes again and intake ignores it.
            params["start_time"] = int(position)
        found = _well_formed(self.name, self.api.call("newsfeed.search", **params)["items"], WallPost)
        posts = [post for item in found if (post := from_wall_post(item, own_posts_are_complaints=True)) is not None]
        newest = max([int(position or 0), *(item.date for item in found)])
        return Batch(posts, str(newest) if newest else position)


def _well_formed(source: str, items: list[Any], shape: type[T]) -> list[T]:
    """The items that fit VK's schema; one VK got wrong must not hold back the others."""
    fitting = []
    for item in items:
        try:
            fitting.append(parsed(item, shape))
        except MalformedPost as error:
            log.warning("%s: an item was skipped: %s", source, error)
    return fitting
