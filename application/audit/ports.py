from typing import Protocol
from uuid import UUID


class EventPositions(Protocol):
    """Where each event of one complaint stands in the global log (its notification id)."""

    def of(self, originator_id: UUID) -> dict[int, int]:
        """Maps each stored version of the complaint to its position."""
        ...
