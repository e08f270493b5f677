from datetime import datetime
from typing import Protocol


class Clock(Protocol):
    """Where the application learns the time; the domain is handed it, never reads it."""

    def now(self) -> datetime: ...
