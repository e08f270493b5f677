"""getUpdates long polling, for when no webhook is set (Telegram allows one or the other)."""

import logging
from collections.abc import Collection
from typing import Any

from adapters.telegram.client import BotApi
from adapters.telegram.shapes import parse_update
from adapters.telegram.translate import HANDLED_UPDATES, post_of
from application.intake.source import Batch, MalformedPost, Post

log = logging.getLogger("mcu.intake.telegram")


class TelegramUpdates:
    name = "telegram:updates"

    def __init__(self, api: BotApi, *, chats: Collection[int], wait: int, limit: int = 100) -> None:
        self.api = api
        self.chats = frozenset(chats)
        self.wait = wait
        self.limit = limit

    def fetch(self, position: str | None) -> Batch:
        # Telegram forgets updates below the offset we send, so the offset is the stored
        # position, moved only after the posts were taken.
        updates = self.api.call(
            "getUpdates",
            wait=self.wait,
            offset=int(position) if position else None,
            limit=self.limit,
            timeout=self.wait,
            allowed_updates=list(HANDLED_UPDATES),
        )
        posts = [post for update in updates if (post := self._post(update))]
        if not updates:
            return Batch(posts, position)
        return Batch(posts, str(max(update["update_id"] for update in updates) + 1))

    def _post(self, update: Any) -> Post | None:
        try:
            return post_of(parse_update(update), chats=self.chats)
        except MalformedPost as error:
            # One update Telegram got wrong must not hold back the others behind it.
            log.warning("%s: an update was skipped: %s", self.name, error)
            return None
