"""The shared PostgreSQL datastore of a process, against a server too slow to fill its pool."""

import socket
import threading
from collections.abc import Iterator

import pytest
from eventsourcing.utils import Environment

from adapters.postgres_pool import SharedPoolFactory, open_datastore


@pytest.fixture
def unanswering_server() -> Iterator[int]:
    """A port whose connections are taken by the kernel and never answered, like a loaded server."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        yield listener.getsockname()[1]


def test_a_pool_that_did_not_fill_in_time_is_not_handed_out_closed(unanswering_server: int) -> None:
    env = Environment(
        "complaints",
        {
            "POSTGRES_HOST": "127.0.0.1",
            "POSTGRES_PORT": str(unanswering_server),
            "POSTGRES_DBNAME": "test",
            "POSTGRES_USER": "postgres",
            "POSTGRES_PASSWORD": "",
            "POSTGRES_CONNECT_TIMEOUT": "1",
        },
    )
    datastore = open_datastore(env)
    try:
        # What every statement does first; on a pool psycopg_pool closed, it raised PoolClosed.
        datastore.pool.open(wait=False)
    finally:
        datastore.close()


def test_leaving_one_application_s_with_block_leaves_the_shared_pool_to_the_others(postgres_settings) -> None:
    env = postgres_settings.eventsourcing_env()
    complaints = SharedPoolFactory(Environment("complaints", env))
    tokens = SharedPoolFactory(Environment("tokens", env))
    try:
        with complaints:  # as `with Application(...)` does: the library's __exit__ closed the pool
            pass
        with tokens.datastore.transaction(commit=False) as cursor:
            cursor.execute("SELECT 1")
    finally:
        tokens.close()


def test_closing_never_waits_for_another_thread_opening_a_pool(postgres_settings) -> None:
    """The collector closes an old application on whatever thread it interrupts, such as a
    pool worker that another thread, opening a pool under the lock, waits to see started:
    waiting there for the lock deadlocked the suite."""
    env = postgres_settings.eventsourcing_env()
    complaints = SharedPoolFactory(Environment("complaints", env))
    tokens = SharedPoolFactory(Environment("tokens", env))
    with SharedPoolFactory._lock:  # another thread in the middle of opening a pool
        closing = threading.Thread(target=complaints.close)
        closing.start()
        closing.join(timeout=5)
        assert not closing.is_alive()
    tokens.close()  # the release queued meanwhile is applied with this one: the pool had no user left
    assert tokens.datastore.pool.closed
