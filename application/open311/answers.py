"""Answers kept a few seconds: Open311's reading calls need no key, so a client asking the same
question again and again costs one answer per period, whoever asks and however often."""

from collections.abc import Callable, Hashable
from threading import Lock
from typing import Any, TypeVar

from cachetools import TTLCache

from application.clock import Clock

T = TypeVar("T")


class KeptAnswers:
    def __init__(self, clock: Clock, *, seconds: float, most: int) -> None:
        # Timed by the service's clock; a lock, as handlers run in several threads.
        self._kept: TTLCache[Hashable, Any] = TTLCache(maxsize=most, ttl=seconds, timer=lambda: clock.now().timestamp())
        self._lock = Lock()

    def get(self, question: Hashable, answer: Callable[[], T]) -> T:
        """The answer kept for the question, else a new one, kept. Two threads asking a new
        question at once may both compute it; both answers are equally right."""
        with self._lock:
            kept = self._kept.get(question)
        if kept is not None:
            return kept  # type: ignore[no-any-return]
        made = answer()
        with self._lock:
            self._kept[question] = made
        return made
