"""Volumes: complaints registered and resolved per month, by category, district and channel.

Counters per Moscow calendar month of the event. A complaint reopened and resolved again
counts as a resolution in each month it was resolved: the figure is the work done.
"""

from abc import abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from eventsourcing.dispatch import singledispatchmethod

from application.projections.calendar import month_key
from application.projections.changes import Change, Count
from application.projections.view import ChangeProjection, View
from domain.complaint import Complaint

TABLE = "counts"
# Counters without a breakdown, and breakdowns whose value is missing, use this key.
NO_KEY = ""


class Measure(StrEnum):
    REGISTERED = "registered"
    RESOLVED = "resolved"


class Breakdown(StrEnum):
    ALL = "all"
    CATEGORY = "category"
    DISTRICT = "district"
    CHANNEL = "channel"


@dataclass(frozen=True, slots=True)
class Tally:
    month: str
    measure: Measure
    breakdown: Breakdown
    key: str | None
    count: int


class VolumeView(View):
    @abstractmethod
    def tallies(
        self, measure: Measure, breakdown: Breakdown, first_month: str | None, last_month: str | None
    ) -> list[Tally]:
        """Counts per month (and key), ordered by month, for months in the inclusive range."""

    @abstractmethod
    def months(self) -> tuple[str, str] | None:
        """The first and last month with any registration."""


def _count(month: str, measure: Measure, breakdown: Breakdown, key: str | None) -> Count:
    return Count(
        TABLE,
        {"month": month, "measure": measure.value, "breakdown": breakdown.value, "label": key or NO_KEY},
        add={"n": 1},
    )


class VolumeProjection(ChangeProjection):
    name = "volume"

    @singledispatchmethod
    def changes(self, domain_event: Any) -> Sequence[Change]:
        return ()

    @changes.register
    def _(self, event: Complaint.Registered) -> Sequence[Change]:
        month = month_key(event.timestamp)
        return (
            _count(month, Measure.REGISTERED, Breakdown.ALL, None),
            _count(month, Measure.REGISTERED, Breakdown.CATEGORY, event.category),
            _count(month, Measure.REGISTERED, Breakdown.DISTRICT, event.district),
            _count(month, Measure.REGISTERED, Breakdown.CHANNEL, event.channel),
        )

    @changes.register
    def _(self, event: Complaint.Resolved) -> Sequence[Change]:
        return (_count(month_key(event.timestamp), Measure.RESOLVED, Breakdown.ALL, None),)
