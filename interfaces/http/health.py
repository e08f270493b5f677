"""Is the service up: a public yes or no for load balancers, and the details for staff.

Both also say which channels complaints come from and whether replies go out: no reply process
running, or a channel that cannot be replied on, leaves the service up while citizens are not
being answered. That is not "down" (a load balancer must not take the API away for it); the
public answer names it in a word, the details say which channel and why. Channel names only:
no token, secret or address is in either.

Both answer from one probe of the store and the views at a time, shared by every caller
that asks while it runs and remembered for a moment, so a crowd asking /health costs one
probe, and an unreachable database is reported within a bound instead of after the
driver's own retries.
"""

import asyncio
from time import monotonic
from typing import Annotated

from litestar import Response, get
from litestar.concurrency import sync_to_thread
from litestar.di import NamedDependency
from msgspec import Meta, Struct

from application.projections.readmodels import Lag
from application.replies.heartbeat import ReplyStatus
from interfaces.http.dto import REPLIES_OUTLOOK, Health, ProjectionLag, Replies
from interfaces.http.problems import problem
from interfaces.services import Services

# A load balancer waits about this long; longer means down.
PROBE_SECONDS = 2.0
# A good reading answers every caller within this; a failure shows within it too.
REMEMBER_SECONDS = 1.0


class Up(Struct, frozen=True):
    status: str
    replies: Annotated[str, Meta(description=f"whether replies to citizens go out: {REPLIES_OUTLOOK}")]
    channels: Annotated[list[str], Meta(description="the channels complaints come from, as configured")]


class Probe:
    """The last reading of the store and the views, taken by one caller at a time."""

    def __init__(self, services: Services) -> None:
        self._services = services
        self._reading: Health | str | None = None
        self._taken_at = float("-inf")
        self._running: asyncio.Future[Health | str] | None = None

    async def read(self) -> Health | str:
        """The details, or why the service is down, in words without personal data."""
        if monotonic() - self._taken_at < REMEMBER_SECONDS and self._reading is not None:
            return self._reading
        if self._running is None or self._running.done():
            self._running = asyncio.ensure_future(sync_to_thread(self._take))
        try:
            reading = await asyncio.wait_for(asyncio.shield(self._running), PROBE_SECONDS)
        except TimeoutError:
            return f"the event store did not answer within {PROBE_SECONDS:g} s"
        if isinstance(reading, Health) and reading.status == "ok":
            # Only a good reading is remembered: a recovery shows at the next probe.
            self._reading, self._taken_at = reading, monotonic()
        return reading

    def _take(self) -> Health | str:
        try:
            last = self._services.complaints.recorder.max_notification_id() or 0
            lags = self._services.read_models.lag()
            replies = self._services.channels.reply_watch.status()
        except Exception as error:  # any store failure means "down", never a 500
            return f"the event store is unreachable ({type(error).__name__})"
        failed = [lag for lag in lags if lag.failure is not None]
        return Health(
            status="down" if failed else "ok",
            store=self._services.settings.store,
            events=last,
            projections=[_lag(lag) for lag in lags],
            replies=_replies(replies),
        )


def _lag(lag: Lag) -> ProjectionLag:
    return ProjectionLag(lag.name, lag.position, lag.behind, lag.failure)


def _replies(status: ReplyStatus) -> Replies:
    return Replies(
        status.outlook.value,
        list(status.configured),
        status.running,
        status.last_beat,
        list(status.channels),
        dict(status.cannot_send),
    )


@get(
    "/health",
    operation_id="health",
    tags=["service"],
    summary="Is the service up (200) or down (503)",
    exclude_from_auth=True,
    security=[],
)
async def health(health_probe: NamedDependency[Probe]) -> Response[Up] | Response[dict]:
    reading = await health_probe.read()
    if isinstance(reading, Health) and reading.status == "ok":
        return Response(Up("ok", reading.replies.outlook, reading.replies.configured))
    # Nothing more to anonymous callers: which view failed, and where, is for staff.
    return problem(503, "the service is down")


@get(
    "/health/details",
    operation_id="getHealthDetails",
    tags=["service"],
    summary="The store, its event count and every view's position, lag and failure",
)
async def health_details(health_probe: NamedDependency[Probe]) -> Response[Health] | Response[dict]:
    reading = await health_probe.read()
    if isinstance(reading, str):
        return problem(503, reading)
    if reading.status != "ok":
        failed = ", ".join(f"{p.name} after event {p.position}: {p.failure}" for p in reading.projections if p.failure)
        return problem(503, f"a view has stopped: {failed}", health=reading)
    return Response(reading)
