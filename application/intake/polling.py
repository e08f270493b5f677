"""Polling: read each source from its stored position, hand the posts to intake, move on.

The position moves only after every post of a batch was taken, so a poller stopped at any
moment re-reads at most one batch, and intake makes the re-read harmless.
"""

import logging
import threading
from collections.abc import Callable, Sequence
from time import monotonic

from application.backoff import Backoff
from application.channels import ChannelRefused, ChannelUnavailable
from application.intake.flow import Intake
from application.intake.records import IntakeRecords
from application.intake.source import Source
from domain.errors import DomainError

log = logging.getLogger("mcu.intake.polling")


class Poller:
    def __init__(
        self,
        *,
        intake: Intake,
        records: IntakeRecords,
        sources: Sequence[Source],
        interval: float,
        backoff: Backoff,
        monotonic_clock: Callable[[], float] = monotonic,
    ) -> None:
        self.intake = intake
        self.records = records
        self.sources = list(sources)
        self.interval = interval
        self.backoff = backoff
        self._now = monotonic_clock
        self._failures = {source.name: 0 for source in self.sources}
        self._next_at = {source.name: 0.0 for source in self.sources}

    def poll_once(self, source: Source) -> int:
        """Reads one batch; returns how many posts it held."""
        batch = source.fetch(self.records.position(source.name))
        for post in batch.posts:
            try:
                self.intake.receive(post)
            except DomainError as error:
                # A post the domain refuses (empty, dated in the future) would block the source
                # forever if retried; it is skipped and the reason logged without its content.
                log.warning("%s: a post was refused: %s", source.name, type(error).__name__)
        if batch.position is not None:
            self.records.move_position(source.name, batch.position)
        return len(batch.posts)

    def poll_due(self) -> int:
        """Polls every source whose time has come; a failing source waits, the others go on."""
        taken = 0
        for source in self.sources:
            if self._now() < self._next_at[source.name]:
                continue
            try:
                taken += self.poll_once(source)
            except ChannelUnavailable as error:
                self._wait_after_failure(source, error.reason, error.retry_after)
            except ChannelRefused as error:
                self._wait_after_failure(source, error.reason, None)
            else:
                self._failures[source.name] = 0
                self._next_at[source.name] = self._now() + self.interval
        return taken

    def run(self, stop: threading.Event, tick: float = 0.5) -> None:
        while not stop.is_set():
            self.poll_due()
            stop.wait(tick)

    def _wait_after_failure(self, source: Source, reason: str, retry_after: float | None) -> None:
        self._failures[source.name] += 1
        delay = self.backoff.delay(self._failures[source.name], at_least=retry_after)
        self._next_at[source.name] = self._now() + delay
        log.warning("%s: %s; next try in %.0f s", source.name, reason, delay)
