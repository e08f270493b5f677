"""The queue page: complaints filtered, sorted by deadline, a keyset page at a time, refreshed
in place while it is open. It asks the read model exactly what the API's list endpoint asks."""

import asyncio
import hashlib
from dataclasses import asdict, dataclass, replace
from typing import Any
from urllib.parse import urlencode

from cachetools import TTLCache
from litestar import Controller, Request, Response, get
from litestar.concurrency import sync_to_thread
from litestar.di import NamedDependency
from litestar.exceptions import ClientException
from litestar.params import FromQuery
from litestar.response import Redirect, Template

from application.projections.complaint_list import ComplaintPage, ComplaintQuery
from application.projections.readmodels import Fresh, ReadModels
from domain.complaint import Channel
from domain.lifecycle import OPEN, Status
from domain.reaction import ClockState
from interfaces.http.complaints import ListSort, decode_cursor, encode_cursor
from interfaces.web.choices import Choices, choices
from interfaces.web.names import CATEGORIES, CHANNELS, CLOCK_STATES, STATUSES

# The status filter's two values beside the statuses themselves; no status chosen shows the open ones.
ANY_STATUS = "any"
PAGE_SIZE = 50
# How often an open queue asks for its rows again (seconds).
REFRESH_SECONDS = 10
# How long consoles refreshing the same queue share one reading of it (seconds).
SHARED_SECONDS = 2
# The header a refresh names the rows it shows by (rows_shown), so that unchanged rows cost
# neither a page to render nor one to send: the answer is 204, for which htmx swaps nothing.
ROWS_SHOWN = "X-Rows-Shown"
_SORT = ListSort.URGENCY


@dataclass(frozen=True, slots=True)
class QueueFilters:
    """What the queue shows, as the URL keeps it: empty means any (open ones, for the status)."""

    status: str = ""
    category: str = ""
    district: str = ""
    organisation: str = ""
    channel: str = ""
    clock: str = ""
    q: str = ""

    def checked(self) -> "QueueFilters":
        known = {
            "status": {ANY_STATUS, *Status},
            "channel": set(Channel),
            "clock": set(ClockState),
        }
        for field, values in known.items():
            value = getattr(self, field)
            if value and value not in values:
                raise ClientException(f"{field} must be one of {', '.join(sorted(values))}, not {value[:40]!r}")
        for field in ("category", "district", "organisation", "q"):
            value = getattr(self, field)
            if len(value) > 200 or any(ord(c) < 32 or ord(c) == 127 for c in value):
                raise ClientException(f"{field} must be one line of at most 200 characters")
        return self

    def query(self, after: tuple[int, str] | None) -> ComplaintQuery:
        if self.status == ANY_STATUS:
            statuses: tuple[str, ...] = ()
        elif self.status:
            statuses = (self.status,)
        else:
            statuses = tuple(sorted(OPEN))
        return ComplaintQuery(
            status=statuses,
            category=_one(self.category),
            district=_one(self.district),
            organisation=_one(self.organisation),
            channel=_one(self.channel),
            clock=tuple(ClockState(c) for c in _one(self.clock)),
            text=self.q.strip() or None,
            sort=_SORT.sort(),
            limit=PAGE_SIZE,
            after=after,
        )

    def url(self, after: str | None = None) -> str:
        given = {name: value for name, value in asdict(self).items() if value}
        if after:
            given["after"] = after
        return f"/queue?{urlencode(given)}" if given else "/queue"


def _one(value: str) -> tuple[str, ...]:
    return (value,) if value else ()


def _options(names: dict[str, str] | Any, values: list[str] | None = None) -> list[tuple[str, str]]:
    keys = list(names) if values is None else values
    return [(key, names.get(key, key)) for key in keys]


class QueueController(Controller):
    include_in_schema = False

    @get("/", opt={"exclude_from_auth": True})
    async def home(self) -> Redirect:
        # Nothing is read here: who may see the queue is judged there.
        return Redirect("/queue")

    @get("/queue", operation_id="consoleQueue", opt={"console": True})
    async def queue(
        self,
        request: Request[Any, Any, Any],
        read_models: NamedDependency[ReadModels],
        status: FromQuery[str] = "",
        category: FromQuery[str] = "",
        district: FromQuery[str] = "",
        organisation: FromQuery[str] = "",
        channel: FromQuery[str] = "",
        clock: FromQuery[str] = "",
        q: FromQuery[str] = "",
        after: FromQuery[str | None] = None,
    ) -> Template | Response[None]:
        filters = QueueFilters(status, category, district, organisation, channel, clock, q).checked()
        start = decode_cursor(after, _SORT) if after else None
        # An executor's queue holds their organisation's complaints only, as the API's list does.
        seen = request.user.organisations_seen(_one(filters.organisation))
        # htmx asks for the rows alone when it refreshes them.
        partial = request.headers.get("hx-request") == "true"
        if seen is None:
            fresh = Fresh(ComplaintPage(items=[], next_after=None), lag=0)
        else:
            query = replace(filters.query(start), organisation=seen)
            fresh = await _read(request, read_models, query, shared=partial)
        page = fresh.value
        shown = rows_shown(fresh)
        headers = {"Vary": f"HX-Request, {ROWS_SHOWN}", "Cache-Control": "no-store"}
        if partial and request.headers.get(ROWS_SHOWN.lower()) == shown:
            return Response(None, status_code=204, headers=headers)
        known: Choices = choices(request.app.state.services.settings)
        own = request.user.organisation
        organisations = known.organisations if request.user.sees_every_complaint else [(own, own)]
        context = {
            "filters": filters,
            "items": page.items,
            "now": read_models.clock.now(),
            "after": after,
            "next_url": filters.url(after=encode_cursor(_SORT, page.next_after)) if page.next_after else None,
            "first_url": filters.url(),
            "rows_url": filters.url(after),
            "refresh_seconds": REFRESH_SECONDS,
            "rows_shown": {ROWS_SHOWN: shown},
            "lag": fresh.lag,
            "options": {
                "status": [("", "Открытые"), (ANY_STATUS, "Все"), *_options(STATUSES)],
                "category": _options(CATEGORIES, sorted(CATEGORIES, key=CATEGORIES.get)),
                "channel": _options(CHANNELS),
                "clock": _options(CLOCK_STATES),
                "district": known.districts,
                "organisation": organisations,
            },
        }
        return Template(
            template_name="queue_rows.html" if partial else "queue.html",
            context=context,
            headers=headers,
        )


def rows_shown(reading: Fresh[ComplaintPage]) -> str:
    """A digest of what the rows of a reading show: each complaint's version (a change to
    its row is a new version) and clock state, the next page, and whether the view was behind.
    Equal digests, equal rows; the page's query is in the URL the rows are refreshed from. A
    running clock's countdown and colour move in the browser between readings. (How far behind
    the view is is not shown: under a burst of registrations it differs at every reading, and
    the rows would be sent anew each time.)"""
    page = reading.value
    shown = (reading.lag > 0, page.next_after, [(item.id, item.version, item.clock.value) for item in page.items])
    return hashlib.blake2b(repr(shown).encode(), digest_size=12).hexdigest()


async def _read(
    request: Request[Any, Any, Any], read_models: ReadModels, query: ComplaintQuery, *, shared: bool
) -> Fresh[ComplaintPage]:
    """The page of the queue asked for. Open consoles refresh their rows every REFRESH_SECONDS,
    and most show the same queue: a refresh takes a reading another console took moments ago,
    or joins the one under way (a reading waits for the view to catch up, seconds in a burst of
    registrations, and the refreshes meanwhile would each start another), so a room of consoles
    costs the worker a query per queue shown, not one per console. A page opened or changed by
    a person is always read afresh."""
    readings: TTLCache[ComplaintQuery, asyncio.Future[Fresh[ComplaintPage]]] = request.app.state.queue_readings
    if shared and (reading := readings.get(query)) is not None:
        return await asyncio.shield(reading)
    reading = asyncio.ensure_future(sync_to_thread(read_models.complaints, query))
    readings[query] = reading
    try:
        return await asyncio.shield(reading)
    except Exception:
        if readings.get(query) is reading:  # the next refresh tries again
            del readings[query]
        raise


def queue_readings() -> TTLCache[ComplaintQuery, "asyncio.Future[Fresh[ComplaintPage]]"]:
    """The readings consoles share for a moment, done or under way (app state; by real time, as
    htmx's timer runs)."""
    return TTLCache(maxsize=256, ttl=SHARED_SECONDS)
