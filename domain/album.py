"""An album: several photos a citizen sent at once, which the network delivers one message each
(Telegram's ``media_group_id``), in an order no one promises. The first photo that is
registered makes the album's complaint; every other photo is its attachment, whether it came
after (it joins at once) or before (it waits in the album and joins when the complaint exists)."""

from datetime import datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

_ALBUM_NAMESPACE = uuid5(NAMESPACE_URL, "urn:mcu:album")


class Album(Aggregate):
    class Opened(Aggregate.Created):
        pass

    class PhotoWaiting(Aggregate.Event):
        attachments: list[dict[str, Any]]

    class Completed(Aggregate.Event):
        complaint_id: UUID

    @staticmethod
    def create_id(channel: str, album: str) -> UUID:
        # Only the id is derived from the album's name (it holds a chat's id, which may be a person's).
        return uuid5(_ALBUM_NAMESPACE, f"{channel}\x1f{album}")

    @classmethod
    def open(cls, *, channel: str, album: str, at: datetime) -> "Album":
        return cls._create(cls.Opened, id=cls.create_id(channel, album), timestamp=at)

    @event(Opened)
    def __init__(self) -> None:
        self.complaint_id: UUID | None = None
        self.waiting: list[dict[str, Any]] = []

    def wait(self, attachments: list[dict[str, Any]], *, at: datetime) -> None:
        """A photo that came before the album had a complaint."""
        if self.complaint_id is None:
            self._photo_waiting(attachments=attachments, timestamp=at)

    def complete(self, complaint_id: UUID, *, at: datetime) -> None:
        """The album's complaint; the first one given stands."""
        if self.complaint_id is None:
            self._completed(complaint_id=complaint_id, timestamp=at)

    @event(PhotoWaiting)
    def _photo_waiting(self, attachments: list[dict[str, Any]], timestamp: datetime) -> None:
        self.waiting = [*self.waiting, *attachments]

    @event(Completed)
    def _completed(self, complaint_id: UUID, timestamp: datetime) -> None:
        self.complaint_id = complaint_id
