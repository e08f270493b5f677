"""Checkpoints sealing a log: a keyed digest over each range of positions, chained.

A complaint's own hash chain shows an edit inside its history; a checkpoint also shows an
event deleted, inserted or moved between aggregates, which no single chain can see. Each
checkpoint's digest also covers the digest of the one before, so a checkpoint cannot be taken
out of the middle or rewritten without breaking every later one; the newest one is pinned by
an anchor kept outside the store.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

_NAMESPACE = uuid5(NAMESPACE_URL, "urn:mcu:log-checkpoints")

# What the first chained checkpoint of a log chains onto when no checkpoint came before it.
ORIGIN = "0" * 64


@dataclass(frozen=True, slots=True)
class Checkpoint:
    first: int
    last: int
    events: int
    digest: str
    # The digest of the checkpoint before, which this one's digest covers; None for a
    # checkpoint sealed before checkpoints were chained.
    previous: str | None = None


class LogCheckpoints(Aggregate):
    class Sealed(Aggregate.Event):
        class_version = 2
        first: int
        last: int
        events: int
        digest: str
        previous: str | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["previous"] = None  # sealed before checkpoints were chained

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

    @property
    def last_digest(self) -> str:
        """What the next checkpoint chains onto."""
        return self.checkpoints[-1].digest if self.checkpoints else ORIGIN

    def seal(self, *, first: int, last: int, events: int, digest: str, at: datetime) -> None:
        """``digest`` must cover ``last_digest``: the caller holds the key that makes it."""
        if first <= self.last_sealed or last < first:
            raise ValueError(f"positions {first}..{last} overlap what is sealed up to {self.last_sealed}")
        self._sealed(first=first, last=last, events=events, digest=digest, previous=self.last_digest, timestamp=at)

    @event(Sealed)
    def _sealed(
        self, first: int, last: int, events: int, digest: str, previous: str | None, timestamp: datetime
    ) -> None:
        self.checkpoints = [*self.checkpoints, Checkpoint(first, last, events, digest, previous)]
