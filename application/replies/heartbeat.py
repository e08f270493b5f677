"""Whether a reply process is running, told across processes: each records a heartbeat.

A reply process (`mcu replies`, or the one `mcu serve` embeds while a channel is configured)
records every few seconds that it is alive, the channels it can reply on, and why a channel's
last send did not go. Any other process (an API worker answering /health, drawing the
console's banner) reads those beats from the store they share: a process whose last beat is
older than STALE is gone. Beats are one row per process, overwritten: as events they would
fill the audited log with nothing.
"""

import os
import socket
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol
from uuid import uuid4

from application.clock import Clock

BEAT_EVERY = timedelta(seconds=10)
# Several missed beats, and a pass of the reply worker taking long, before a process is gone.
STALE = timedelta(seconds=60)
# The beat of a process killed without a word is removed after this, by whichever beats next.
FORGET_AFTER = timedelta(days=1)
# What a channel taking complaints, but with no reply process able to send on it, is told by.
NO_GATEWAY = "no reply gateway is configured"


@dataclass(frozen=True, slots=True)
class Beat:
    process: str  # the host, the process id and a nonce: which reply process
    at: datetime
    channels: tuple[str, ...]  # the channels it has a gateway for
    trouble: Mapping[str, str] = field(default_factory=dict)  # channel → why its sends do not go


class Heartbeats(Protocol):
    def record(self, beat: Beat, *, forget_before: datetime) -> None:
        """Overwrites the process's beat and removes those older than ``forget_before``."""

    def remove(self, process: str) -> None: ...

    def since(self, moment: datetime) -> list[Beat]: ...


def this_process() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid4().hex[:6]}"


class Pulse:
    """The reply worker's heartbeat: recorded at most every BEAT_EVERY, removed on a clean stop."""

    def __init__(
        self,
        heartbeats: Heartbeats,
        clock: Clock,
        *,
        channels: tuple[str, ...],
        trouble: Callable[[], Mapping[str, str]],
    ) -> None:
        self.heartbeats = heartbeats
        self.clock = clock
        self.channels = channels
        self.trouble = trouble
        self.process = this_process()
        self._last: datetime | None = None

    def beat(self) -> None:
        now = self.clock.now()
        if self._last is not None and now - self._last < BEAT_EVERY:
            return
        beat = Beat(self.process, now, self.channels, dict(self.trouble()))
        self.heartbeats.record(beat, forget_before=now - FORGET_AFTER)
        self._last = now

    def stop(self) -> None:
        self.heartbeats.remove(self.process)


class Outlook(StrEnum):
    """Whether replies go out, in one word: what /health answers anyone."""

    SENDING = "sending"
    NOT_RUNNING = "not running"  # channels are configured, but no reply process beats
    CANNOT_SEND = "cannot send"  # one runs, but a configured channel's replies do not go
    NO_CHANNEL = "no channel"  # no channel is configured, so no reply leaves the centre


@dataclass(frozen=True, slots=True)
class ReplyStatus:
    running: bool
    last_beat: datetime | None
    channels: tuple[str, ...]  # the channels a running reply process can send on
    cannot_send: Mapping[str, str]  # channel taking complaints → why no reply goes out on it
    configured: tuple[str, ...] = ()  # the channels this installation takes complaints from

    @property
    def outlook(self) -> Outlook:
        if self.running and self.cannot_send:
            return Outlook.CANNOT_SEND
        if self.running and self.channels:
            return Outlook.SENDING
        return Outlook.NOT_RUNNING if self.configured else Outlook.NO_CHANNEL


class ReplyWatch:
    """What the reply processes' beats say, judged against the channels this installation takes
    complaints from, and remembered a few seconds: every console page and /health ask."""

    def __init__(
        self,
        heartbeats: Heartbeats,
        clock: Clock,
        *,
        taking: frozenset[str],
        remember: timedelta = timedelta(seconds=5),
    ) -> None:
        self.heartbeats = heartbeats
        self.clock = clock
        self.taking = taking
        self.remember = remember
        self._lock = threading.Lock()
        self._known: tuple[datetime, ReplyStatus] | None = None

    def status(self) -> ReplyStatus:
        now = self.clock.now()
        with self._lock:
            if self._known is not None and now - self._known[0] < self.remember:
                return self._known[1]
        judged = self._judge(now)
        with self._lock:
            self._known = (now, judged)
        return judged

    def _judge(self, now: datetime) -> ReplyStatus:
        beats = self.heartbeats.since(now - STALE)
        configured = tuple(sorted(self.taking))
        if not beats:
            return ReplyStatus(False, None, (), {}, configured)
        channels = sorted({channel for beat in beats for channel in beat.channels})
        cannot_send = {channel: NO_GATEWAY for channel in sorted(self.taking) if channel not in channels}
        latest = max(beats, key=lambda beat: beat.at)
        for beat in sorted(beats, key=lambda beat: beat.at):
            cannot_send.update(beat.trouble)
        return ReplyStatus(True, latest.at, tuple(channels), cannot_send, configured)
