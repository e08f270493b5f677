"""How long to wait before trying a network again: doubling from a base, never beyond a cap."""

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Backoff:
    base: float = 5.0
    cap: float = 3600.0

    def __post_init__(self) -> None:
        if not 0 < self.base <= self.cap:
            raise ValueError("the backoff base must be positive and no larger than the cap")

    def delay(self, attempt: int, *, at_least: float | None = None) -> float:
        """Seconds before attempt ``attempt + 1``; a network's own retry-after is honoured."""
        exponential = min(self.cap, self.base * 2 ** max(0, attempt - 1))
        return max(exponential, at_least or 0.0)
