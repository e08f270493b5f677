"""The reply worker: schedules deliveries from new complaint events, then sends what is due."""

import logging
import threading

from application.replies.dispatcher import Dispatcher
from application.replies.follower import Follower

log = logging.getLogger("mcu.replies")


class ReplyWorker:
    def __init__(self, follower: Follower, dispatcher: Dispatcher) -> None:
        self.follower = follower
        self.dispatcher = dispatcher

    def step(self) -> int:
        """Follows every new complaint event, then makes one dispatch pass."""
        scheduled = 0
        while pulled := self.follower.pull():
            scheduled += pulled
        return scheduled + self.dispatcher.dispatch()

    def run(self, stop: threading.Event, tick: float = 0.5) -> None:
        while not stop.is_set():
            try:
                self.step()
            except Exception as error:  # noqa: BLE001 - the loop outlives a failed pass
                # Whatever broke (the store, a gateway's bug) is retried next pass; a delivery
                # interrupted mid-send is recovered through its lease. Only the type is logged:
                # messages may quote a citizen's text.
                log.error("a reply pass failed (%s); retrying", type(error).__name__)
            stop.wait(tick)
