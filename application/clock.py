from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    """Where the application learns the time; the domain is handed it, never reads it."""

    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)
