"""The reply worker: schedules deliveries from new complaint events, then sends what is due."""

import logging
import threading

from application.replies.dispatcher import Dispatcher
from application.replies.follower import Follower
from application.replies.heartbeat import Pulse

log = logging.getLogger("mcu.replies")


class ReplyWorker:
    def __init__(self, follower: Follower, dispatcher: Dispatcher, pulse: Pulse | None = None) -> None:
        self.follower = follower
        self.dispatcher = dispatcher
        self.pulse = pulse

    def step(self) -> int:
        """Follows every new complaint event, then makes one dispatch pass."""
        scheduled = 0
        while pulled := self.follower.pull():
            scheduled += pulled
        return scheduled + self.dispatcher.dispatch()

    def run(self, stop: threading.Event, tick: float = 0.5) -> None:
        """Passes until stopped; each says that this process is alive (its heartbeat), so the
        console and /health can tell when no reply process runs."""
        while not stop.is_set():
            try:
                self.step()
                if self.pulse is not None:
                    self.pulse.beat()
            except Exception as error:  # noqa: BLE001 - the loop outlives a failed pass
                # Whatever broke (the store, a gateway's bug) is retried next pass; a delivery
                # interrupted mid-send is recovered through its lease. Only the type is logged:
                # messages may quote a citizen's text.
                log.error("a reply pass failed (%s); retrying", type(error).__name__)
            stop.wait(tick)
        if self.pulse is not None:
            try:
                self.pulse.stop()
            except Exception as error:  # noqa: BLE001 - its beat goes stale instead
                log.warning("the reply process's heartbeat was not removed (%s)", type(error).__name__)
