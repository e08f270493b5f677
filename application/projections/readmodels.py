"""The read side: the views of the complaint events, the projectors that fill them, and the
queries the centre's queues and reports ask, each answered as fresh as the caller can wait for."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from time import monotonic, sleep
from typing import Any, Generic, TypeVar

from eventsourcing.application import Application

from application.clock import Clock
from application.projections.calendar import months_between, previous_month
from application.projections.complaint_list import (
    ComplaintListProjection,
    ComplaintListView,
    ComplaintPage,
    ComplaintQuery,
)
from application.projections.open311_updates import (
    Open311Update,
    Open311UpdateProjection,
    Open311UpdateView,
)
from application.projections.organisations import (
    OrganisationFigures,
    OrganisationProjection,
    OrganisationView,
)
from application.projections.reaction import (
    Dimension,
    ReactionFigures,
    ReactionProjection,
    ReactionQuery,
    ReactionView,
)
from application.projections.runner import Projector
from application.projections.view import ChangeProjection, View
from application.projections.volume import (
    Breakdown,
    Measure,
    Tally,
    VolumeProjection,
    VolumeView,
)

T = TypeVar("T")

PROJECTIONS: dict[str, type[ChangeProjection]] = {
    p.name: p
    for p in (
        ComplaintListProjection,
        ReactionProjection,
        VolumeProjection,
        OrganisationProjection,
        Open311UpdateProjection,
    )
}


@dataclass(frozen=True)
class Views:
    complaint_list: ComplaintListView
    reaction: ReactionView
    volume: VolumeView
    organisations: OrganisationView
    open311_updates: Open311UpdateView

    def by_name(self) -> dict[str, View]:
        return {name: getattr(self, name) for name in PROJECTIONS}

    def close(self) -> None:
        for view in self.by_name().values():
            view.close()


@dataclass(frozen=True, slots=True)
class Fresh(Generic[T]):
    """An answer and how many events behind the store it may be (0 unless the wait timed out)."""

    value: T
    lag: int


@dataclass(frozen=True, slots=True)
class Lag:
    name: str
    position: int
    last: int
    failure: str | None

    @property
    def behind(self) -> int:
        return max(self.last - self.position, 0)


@dataclass(frozen=True, slots=True)
class MonthVolume:
    month: str
    registered: int
    resolved: int
    registered_growth: float | None
    resolved_growth: float | None


@dataclass(frozen=True, slots=True)
class Share:
    key: str | None
    count: int
    share: float


@dataclass(frozen=True, slots=True)
class VolumeFigures:
    first_month: str | None
    last_month: str | None
    months: list[MonthVolume]
    registered: int
    resolved: int
    monthly_average: float | None
    by_district: list[Share]
    by_channel: list[Share]


def _growth(current: int, previous: int | None) -> float | None:
    return (current - previous) / previous if previous else None


def _shares(tallies: Iterable[Tally]) -> list[Share]:
    totals: dict[str | None, int] = {}
    for tally in tallies:
        totals[tally.key] = totals.get(tally.key, 0) + tally.count
    whole = sum(totals.values())
    ranked = sorted(totals.items(), key=lambda item: (-item[1], item[0] or ""))
    return [Share(key, count, count / whole) for key, count in ranked]


class ReadModels:
    def __init__(
        self,
        app: Application[Any],
        views: Views,
        clock: Clock,
        *,
        wait_seconds: float = 2.0,
        batch_size: int = 500,
        poll_interval: float = 0.05,
    ) -> None:
        self.app = app
        self.views = views
        self.clock = clock
        self.wait_seconds = wait_seconds
        self.projectors = {
            name: Projector(app, PROJECTIONS[name](view), batch_size=batch_size, poll_interval=poll_interval)
            for name, view in views.by_name().items()
        }

    def start(self) -> None:
        for projector in self.projectors.values():
            projector.start()

    def stop(self) -> None:
        for projector in self.projectors.values():
            projector.stop()

    def lag(self) -> list[Lag]:
        last = self.app.recorder.max_notification_id() or 0
        return [Lag(name, p.position(), last, p.failure) for name, p in self.projectors.items()]

    def fresh(self, name: str) -> int:
        """Waits until the view has applied every event recorded before the call, so a
        client sees its own commands; after the timeout, returns how far behind it still is."""
        target = self.app.recorder.max_notification_id() or 0
        view = self.projectors[name].view
        deadline = monotonic() + self.wait_seconds
        pause = 0.002
        while (position := view.max_tracking_id(self.app.name) or 0) < target:
            remaining = deadline - monotonic()
            if remaining <= 0:
                return target - position
            sleep(min(pause, remaining))
            pause = min(pause * 2, 0.1)
        return 0

    def complaints(self, query: ComplaintQuery) -> Fresh[ComplaintPage]:
        lag = self.fresh("complaint_list")
        return Fresh(self.views.complaint_list.find(query, self.clock.now()), lag)

    def reaction(self, query: ReactionQuery) -> Fresh[list[ReactionFigures]]:
        lag = self.fresh("reaction")
        return Fresh(self.views.reaction.figures(query, self.clock.now()), lag)

    def overdue(self, by: Dimension) -> Fresh[dict[str | None, int]]:
        lag = self.fresh("reaction")
        return Fresh(self.views.reaction.overdue(by, self.clock.now()), lag)

    def organisations(self, first_month: str | None, last_month: str | None) -> Fresh[list[OrganisationFigures]]:
        lag = self.fresh("organisations")
        return Fresh(self.views.organisations.figures(first_month, last_month), lag)

    def open311_updates(self, start: datetime, end: datetime, *, limit: int, offset: int) -> Fresh[list[Open311Update]]:
        lag = self.fresh("open311_updates")
        return Fresh(self.views.open311_updates.updates(start, end, limit=limit, offset=offset), lag)

    def categories(self, first_month: str | None, last_month: str | None) -> Fresh[list[Share]]:
        lag = self.fresh("volume")
        tallies = self.views.volume.tallies(Measure.REGISTERED, Breakdown.CATEGORY, first_month, last_month)
        return Fresh(_shares(tallies), lag)

    def volume(self, first_month: str | None, last_month: str | None) -> Fresh[VolumeFigures]:
        lag = self.fresh("volume")
        view = self.views.volume
        known = view.months()
        if known is None:
            return Fresh(VolumeFigures(first_month, last_month, [], 0, 0, None, [], []), lag)
        first, last = first_month or known[0], last_month or known[1]
        months = months_between(first, last)
        registered = {
            t.month: t.count for t in view.tallies(Measure.REGISTERED, Breakdown.ALL, previous_month(first), last)
        }
        resolved = {
            t.month: t.count for t in view.tallies(Measure.RESOLVED, Breakdown.ALL, previous_month(first), last)
        }
        rows = [
            MonthVolume(
                month=month,
                registered=registered.get(month, 0),
                resolved=resolved.get(month, 0),
                registered_growth=_growth(registered.get(month, 0), registered.get(previous_month(month))),
                resolved_growth=_growth(resolved.get(month, 0), resolved.get(previous_month(month))),
            )
            for month in months
        ]
        total_registered = sum(row.registered for row in rows)
        return Fresh(
            VolumeFigures(
                first_month=first,
                last_month=last,
                months=rows,
                registered=total_registered,
                resolved=sum(row.resolved for row in rows),
                monthly_average=total_registered / len(rows) if rows else None,
                by_district=_shares(view.tallies(Measure.REGISTERED, Breakdown.DISTRICT, first, last)),
                by_channel=_shares(view.tallies(Measure.REGISTERED, Breakdown.CHANNEL, first, last)),
            ),
            lag,
        )
