"""The library's in-memory store, safe for subscriptions that start and stop while events are
recorded: its recorder notifies listeners by iterating the live set, which another thread
subscribing or unsubscribing changes mid-iteration ("Set changed size during iteration")."""

from eventsourcing.persistence import ApplicationRecorder
from eventsourcing.popo import POPOApplicationRecorder, POPOFactory


class _SnapshotListenersRecorder(POPOApplicationRecorder):
    # A protected method overridden: the library has no public hook for notifying listeners.
    def _notify_listeners(self) -> None:
        # list() of a set runs without releasing the GIL, so the copy itself cannot race.
        for listener in list(self._listeners):
            listener.set()


class InMemoryFactory(POPOFactory):
    def application_recorder(self) -> ApplicationRecorder:
        return _SnapshotListenersRecorder()
