"""The port every read model's view implements: a tracking recorder that writes what events
changed in it, each change a value of the view's own terms (defined beside its projection)."""

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from eventsourcing.dispatch import singledispatchmethod
from eventsourcing.persistence import Tracking, TrackingRecorder
from eventsourcing.projection import Projection
from eventsourcing.utils import get_topic

# What one view's projection says changed, in that view's terms (a union of frozen dataclasses).
C = TypeVar("C")


class PositionMoved(Exception):
    """The view's stored position is not where this writer left it (another writer, or a reset)."""

    def __init__(self, view: str, expected: int, stored: int) -> None:
        self.expected = expected
        self.stored = stored
        super().__init__(f"view {view} is at position {stored}, not at {expected}")


class View(TrackingRecorder, ABC, Generic[C]):
    """A read model's store. What it keeps and the position of the last applied event change in
    one transaction, so each event is applied exactly once, whenever the writer is killed."""

    @abstractmethod
    def apply(self, changes: Sequence[C], tracking: Tracking, *, after: int | None = None) -> None:
        """Writes the changes of one or many events, in order, and the tracking atomically.
        Given ``after`` (0 for an empty view), refuses with PositionMoved unless the stored
        position is exactly that."""

    @abstractmethod
    def begin_rebuild(self) -> None:
        """Starts an empty view beside this one, which goes on serving (a view left beside it
        by an earlier rebuild is discarded), and remembers that a rebuild is under way."""

    @abstractmethod
    def rebuilding(self) -> bool:
        """Whether a rebuild was begun and not finished (it was interrupted, or still runs)."""

    @abstractmethod
    def beside(self) -> "View[C]":
        """The view being rebuilt beside this one: a view of its own, with its own position."""

    @abstractmethod
    def end_rebuild(self) -> None:
        """Puts the view rebuilt beside this one in its place, rows and position at once, with
        what makes it quick to query (a rebuild leaves indexes and text search until here)."""

    @abstractmethod
    def close(self) -> None: ...


class ChangeProjection(Projection[Any]):
    """A projection whose handlers say what one event changes in its view, in the view's terms;
    the view's adapter decides how it is stored.

    Subclasses define ``changes`` as their own singledispatchmethod; the event classes it
    handles become the projection's ``topics``. Events of other topics are not even decoded
    (other applications sharing the log may use transcodings this one lacks), but they still
    advance the view's position, so its lag can reach zero.
    """

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        changes = cls.__dict__.get("changes")
        if isinstance(changes, singledispatchmethod):
            cls.topics = tuple(get_topic(t) for t in changes.dispatcher.registry if t is not object)

    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        self.view.apply(self.changes(domain_event), tracking)

    @abstractmethod
    def changes(self, domain_event: Any) -> Sequence[Any]: ...
