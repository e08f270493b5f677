"""/metrics: what the people running the service watch, in Prometheus's text format.

Three sources, all through prometheus_client:
- each request, by method, route template (never the raw path, so no id is a label) and
  status, with its latency: Litestar's Prometheus middleware;
- the group commit's batch sizes (metrics_instruments.py);
- figures read from the shared store when scraped (``StoreFigures``): the views' lag, the
  registrations by channel, the deliveries by state, the posts triage screened out by channel
  and reason. Read from the store, every worker answers them alike.

Under `mcu serve` each worker process writes its counters and histograms to files in
PROMETHEUS_MULTIPROC_DIR (set and emptied by `mcu serve`), and a scrape, answered by any one
worker, sums every worker's. No label holds personal data or a complaint's id.
"""

import os
from collections.abc import Iterable, Iterator
from time import perf_counter
from typing import Any

from litestar import Response, get
from litestar._asgi.utils import wrap_in_exception_handler
from litestar.datastructures import State
from litestar.enums import ScopeType
from litestar.plugins.prometheus import PrometheusConfig, PrometheusMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest, multiprocess
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.registry import Collector

from application.intake.records import IntakeRecords
from application.projections.readmodels import ReadModels
from application.projections.volume import Breakdown, Measure
from application.replies.process import Replies
from domain.complaint import Channel
from interfaces.services import Services

MULTIPROCESS_DIR = "PROMETHEUS_MULTIPROC_DIR"


def multiprocess_mode() -> bool:
    """Whether this process writes its metrics to files for a scrape of all (under `mcu serve`)."""
    return MULTIPROCESS_DIR in os.environ


class RouteMetrics(PrometheusMiddleware):
    """The plugin's middleware and metrics, counted at less cost on every request.

    - Labelled by the route's template, read from the scope ("/api/v1/complaints/{complaint_id}"),
      never the requested path; each route and status's two series are found once, then kept.
    - Of the plugin's four metrics, the requests and their duration: the errors are the 5xx of
      the first, and the requests in progress cost two more writes a request. The plugin's own
      way, with a Request built for its labels, cost 40-70 us a request on this machine against
      7-13 us here, on every registration.
    - Litestar turns a handler's exception into its answer beneath the middleware, but one
      raised by a middleware (401, 403 from the tokens, 413, 400 for deep JSON) only above them
      all: the plugin would count it as a 200 that took no time. Here it is answered within,
      by the same exception handlers the route has, so it is counted with its status and time.
    """

    def __init__(self, app: ASGIApp, config: PrometheusConfig) -> None:
        super().__init__(app=wrap_in_exception_handler(app), config=config)
        self._series: dict[tuple[str, str, int], tuple[Any, Any]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = perf_counter()
        status = 500  # if nothing is answered

        async def send_noting_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_noting_status)
        finally:
            requests, duration = self._series_of(scope["method"], scope["path_template"], status)
            requests.inc()
            duration.observe(perf_counter() - started)

    def _series_of(self, method: str, path: str, status: int) -> tuple[Any, Any]:
        series = self._series.get((method, path, status))
        if series is None:
            labels: dict[str, str | int | float] = {
                "method": method,
                "path": path,
                "status_code": status,
                "app_name": self._config.app_name,
            }
            values = list(labels.values())
            series = self.request_count(labels).labels(*values), self.request_time(labels).labels(*values)
            self._series[(method, path, status)] = series
        return series


REQUESTS = PrometheusConfig(app_name="mcu", prefix="mcu_http", middleware_class=RouteMetrics, scopes={ScopeType.HTTP})


class StoreFigures(Collector):
    """Figures of the shared store, read at each scrape."""

    def __init__(self, read_models: ReadModels, replies: Replies, intake_records: IntakeRecords) -> None:
        self._read_models = read_models
        self._replies = replies
        self._intake_records = intake_records

    @classmethod
    def of(cls, services: Services) -> "StoreFigures":
        return cls(services.read_models, services.channels.replies, services.channels.records)

    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily("mcu_store_up", "1 when the figures below could be read from the store")
        try:
            figures = list(self._figures())
        except Exception:  # noqa: BLE001 - a store that does not answer shows as down, never as a 500
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield from figures

    def _figures(self) -> Iterable[Metric]:
        lag = GaugeMetricFamily("mcu_view_lag_events", "Events in the store a view has yet to apply", labels=["view"])
        failed = GaugeMetricFamily(
            "mcu_view_failed", "1 while a view is stopped on an event it cannot apply", labels=["view"]
        )
        for view in self._read_models.lag():
            lag.add_metric([view.name], view.behind)
            failed.add_metric([view.name], int(view.failure is not None))
        yield from (lag, failed)

        registered = dict.fromkeys((channel.value for channel in Channel), 0)
        tallies = self._read_models.views.volume.tallies(Measure.REGISTERED, Breakdown.CHANNEL, None, None)
        for tally in tallies:
            if tally.key is not None:
                registered[tally.key] = registered.get(tally.key, 0) + tally.count
        yield _family(
            CounterMetricFamily,
            "mcu_registrations",
            "Complaints registered, by channel (as far as the volume view has read)",
            ["channel"],
            [((channel,), count) for channel, count in registered.items()],
        )
        yield _family(
            GaugeMetricFamily,
            "mcu_deliveries",
            "Replies to citizens in each state",
            ["state"],
            [((state.value,), count) for state, count in self._replies.delivery_counts().items()],
        )
        yield _family(
            CounterMetricFamily,
            "mcu_triage_screened_out",
            "Posts triage judged not to be complaints, by channel and reason "
            "(those it judged complaints are the channel's registrations)",
            ["channel", "reason"],
            self._intake_records.screened_out().items(),
        )


def _family(kind: Any, name: str, documentation: str, labels: list[str], values: Iterable) -> Metric:
    family = kind(name, documentation, labels=labels)
    for label_values, value in values:
        family.add_metric(list(label_values), value)
    return family


class _ThisProcess(Collector):
    """The metrics this process keeps in memory: a single process, outside `mcu serve`."""

    def collect(self) -> Iterable[Metric]:
        return REGISTRY.collect()


def scrape_registry(figures: Collector) -> CollectorRegistry:
    """What a scrape answers: every worker's metrics (or this process's) and the store's figures."""
    registry = CollectorRegistry()
    if multiprocess_mode():
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(_ThisProcess())
    registry.register(figures)
    return registry


# Not the plugin's PrometheusController: in multiprocess mode it answers a registry of its own,
# without the store's figures.
@get(
    "/metrics",
    operation_id="getMetrics",
    tags=["service"],
    summary="The service's metrics in Prometheus's text format",
    sync_to_thread=True,
    media_type=CONTENT_TYPE_LATEST,
)
def metrics(state: State) -> Response[bytes]:
    return Response(generate_latest(state.metrics), media_type=CONTENT_TYPE_LATEST)
