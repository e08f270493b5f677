"""Who read a citizen's personal data, and when: reads are facts an auditor can ask about."""

from dataclasses import dataclass
from datetime import datetime
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

_NAMESPACE = uuid5(NAMESPACE_URL, "urn:mcu:personal-data-reads")


@dataclass(frozen=True, slots=True)
class Read:
    reader: str
    at: datetime


class PersonalDataReads(Aggregate):
    """One per complaint: every disclosure of its author's personal data."""

    class Disclosed(Aggregate.Event):
        reader: str

    @staticmethod
    def create_id(complaint_id: UUID) -> UUID:
        return uuid5(_NAMESPACE, str(complaint_id))

    @classmethod
    def start(cls, complaint_id: UUID, *, at: datetime) -> "PersonalDataReads":
        return cls._create(cls.Created, id=cls.create_id(complaint_id), timestamp=at)

    def __init__(self) -> None:
        self.reads: list[Read] = []

    def disclose_to(self, reader: str, *, at: datetime) -> None:
        self._disclosed(reader=reader, timestamp=at)

    @event(Disclosed)
    def _disclosed(self, reader: str, timestamp: datetime) -> None:
        self.reads = [*self.reads, Read(reader, timestamp)]
