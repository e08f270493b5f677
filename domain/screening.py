"""The audit trail of screening: posts that triage judged not to be complaints.

Such posts are not registered, but the centre must be able to show how many it dropped and
why. A ``ScreeningDay`` counts them per channel and local day; a ``ScreenedPost`` marks each
one, and both are saved together, so a post delivered twice (webhook and poll) counts once.
Neither keeps the text or the author: counting needs no personal data.
"""

from datetime import date, datetime
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

_DAY_NAMESPACE = uuid5(NAMESPACE_URL, "urn:mcu:screening-day")
_POST_NAMESPACE = uuid5(NAMESPACE_URL, "urn:mcu:screened-post")


class ScreeningDay(Aggregate):
    class Opened(Aggregate.Created):
        channel: str
        day: str

    class Dropped(Aggregate.Event):
        reason: str

    @staticmethod
    def create_id(channel: str, day: date) -> UUID:
        return uuid5(_DAY_NAMESPACE, f"{channel}\x1f{day.isoformat()}")

    @classmethod
    def open(cls, *, channel: str, day: date, at: datetime) -> "ScreeningDay":
        return cls._create(
            cls.Opened,
            id=cls.create_id(channel, day),
            timestamp=at,
            channel=channel,
            day=day.isoformat(),
        )

    @event(Opened)
    def __init__(self, channel: str, day: str) -> None:
        self.channel = channel
        self.day = day
        self.dropped: dict[str, int] = {}

    def drop(self, reason: str, *, at: datetime) -> None:
        self._dropped(reason=reason.strip() or "unspecified", timestamp=at)

    @event(Dropped)
    def _dropped(self, reason: str, timestamp: datetime) -> None:
        self.dropped = {**self.dropped, reason: self.dropped.get(reason, 0) + 1}


class ScreenedPost(Aggregate):
    class Screened(Aggregate.Created):
        channel: str
        day: str
        reason: str

    @staticmethod
    def create_id(channel: str, source_ref: str) -> UUID:
        return uuid5(_POST_NAMESPACE, f"{channel}\x1f{source_ref}")

    @classmethod
    def screen(cls, *, channel: str, source_ref: str, day: date, reason: str, at: datetime) -> "ScreenedPost":
        return cls._create(
            cls.Screened,
            id=cls.create_id(channel, source_ref),
            timestamp=at,
            channel=channel,
            day=day.isoformat(),
            reason=reason,
        )

    @event(Screened)
    def __init__(self, channel: str, day: str, reason: str) -> None:
        self.channel = channel
        self.day = day
        self.reason = reason
