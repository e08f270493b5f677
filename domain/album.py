"""An album: several photos a citizen sent at once, which the network delivers one message each
(Telegram's ``media_group_id``). The first that is registered is the album's complaint; the
others join it as its attachments instead of becoming complaints of their own."""

from datetime import datetime
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

_ALBUM_NAMESPACE = uuid5(NAMESPACE_URL, "urn:mcu:album")


class Album(Aggregate):
    class Started(Aggregate.Created):
        complaint_id: UUID

    @staticmethod
    def create_id(channel: str, album: str) -> UUID:
        return uuid5(_ALBUM_NAMESPACE, f"{channel}\x1f{album}")

    @classmethod
    def start(cls, *, channel: str, album: str, complaint_id: UUID, at: datetime) -> "Album":
        # Only the id is derived from the album's name (it holds a chat's id, which may be a person's).
        return cls._create(cls.Started, id=cls.create_id(channel, album), timestamp=at, complaint_id=complaint_id)

    @event(Started)
    def __init__(self, complaint_id: UUID) -> None:
        self.complaint_id = complaint_id
