"""How far a poller has read a source, so a restarted poller resumes instead of starting over."""

from datetime import datetime
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

_POSITION_NAMESPACE = uuid5(NAMESPACE_URL, "urn:mcu:poll-position")


class PollPosition(Aggregate):
    class Started(Aggregate.Created):
        source: str
        position: str

    class Moved(Aggregate.Event):
        position: str

    @staticmethod
    def create_id(source: str) -> UUID:
        return uuid5(_POSITION_NAMESPACE, source)

    @classmethod
    def start(cls, *, source: str, position: str, at: datetime) -> "PollPosition":
        return cls._create(cls.Started, id=cls.create_id(source), timestamp=at, source=source, position=position)

    @event(Started)
    def __init__(self, source: str, position: str) -> None:
        self.source = source
        self.position = position

    def move(self, position: str, *, at: datetime) -> None:
        if position != self.position:
            self._moved(position=position, timestamp=at)

    @event(Moved)
    def _moved(self, position: str, timestamp: datetime) -> None:
        self.position = position
