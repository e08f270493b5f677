"""Checkpoints sealing the global log: a keyed digest over each range of positions.

A complaint's own hash chain shows an edit inside its history; a checkpoint also shows an
event deleted, inserted or moved between complaints, which no single chain can see.
"""

from dataclasses import dataclass
from datetime import datetime
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

_NAMESPACE = uuid5(NAMESPACE_URL, "urn:mcu:log-checkpoints")


@dataclass(frozen=True, slots=True)
class Checkpoint:
    first: int
    last: int
    events: int
    digest: str


class LogCheckpoints(Aggregate):
    class Sealed(Aggregate.Event):
        first: int
        last: int
        events: int
        digest: str

    @staticmethod
    def create_id(log_name: str) -> UUID:
        return uuid5(_NAMESPACE, log_name)

    @classmethod
    def start(cls, log_name: str, *, at: datetime) -> "LogCheckpoints":
        return cls._create(cls.Created, id=cls.create_id(log_name), timestamp=at)

    def __init__(self) -> None:
        self.checkpoints: list[Checkpoint] = []

    @property
    def last_sealed(self) -> int:
        return self.checkpoints[-1].last if self.checkpoints else 0

    def seal(self, *, first: int, last: int, events: int, digest: str, at: datetime) -> None:
        if first <= self.last_sealed or last < first:
            raise ValueError(f"positions {first}..{last} overlap what is sealed up to {self.last_sealed}")
        self._sealed(first=first, last=last, events=events, digest=digest, timestamp=at)

    @event(Sealed)
    def _sealed(self, first: int, last: int, events: int, digest: str, timestamp: datetime) -> None:
        self.checkpoints = [*self.checkpoints, Checkpoint(first, last, events, digest)]
