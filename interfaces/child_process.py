"""A worker's child process, spoken to over a pipe: started by spawning, stopped by closing.

Spawned, not forked: the worker has threads and open connections to leave behind. The child
reads the pipe until it ends, so closing the worker's end is how it is told to stop.
"""

import multiprocessing
import signal
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from adapters.config import Settings
from application.clock import Clock, SystemClock


def child_processes_can_share(settings: Settings, clock: Clock) -> bool:
    """A child process shares only a store on disk and the system's time: in memory, or on a
    clock of the caller's (specifications, tests), the work stays in this process."""
    return settings.store != "memory" and isinstance(clock, SystemClock)


def spawn(
    target: Callable[[Connection, Settings], Any], settings: Settings, name: str
) -> tuple[BaseProcess, Connection]:
    """The started child, and the worker's end of the pipe to it."""
    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe()
    child = context.Process(target=_run, args=(target, theirs, settings), name=name, daemon=True)
    child.start()
    theirs.close()
    return child, ours


def _run(target: Callable[[Connection, Settings], Any], connection: Connection, settings: Settings) -> None:
    # Ctrl-C in a terminal reaches the whole process group: the worker stops its children by
    # closing their pipes, after what they were doing is done, so they do not take it themselves.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    target(connection, settings)


def stop(child: BaseProcess, connection: Connection, *, grace_seconds: float = 10) -> None:
    """Ends the child's input and waits for it to finish; kills it if it does not in time."""
    connection.close()
    child.join(timeout=grace_seconds)
    if child.is_alive():
        child.kill()
        child.join()
