"""Volumes: complaints registered and resolved per month, by category, district and channel.

Counters per Moscow calendar month of the event. A complaint reopened and resolved again
counts as a resolution in each month it was resolved: the figure is the work done.
"""

from abc import abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from eventsourcing.dispatch import singledispatchmethod

from application.projections.view import ChangeProjection, View
from domain.complaint import Complaint


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


# What an event changes in the counts: one more of a measure in the month of ``at``.


@dataclass(frozen=True, slots=True)
class Registration:
    """A complaint registered, counted in all and by its category, district and channel."""

    at: datetime
    category: str | None
    district: str | None
    channel: str


@dataclass(frozen=True, slots=True)
class Resolution:
    """A complaint resolved, counted in all, each time it is resolved."""

    at: datetime


VolumeChange = Registration | Resolution


class VolumeView(View[VolumeChange]):
    @abstractmethod
    def tallies(
        self, measure: Measure, breakdown: Breakdown, first_month: str | None, last_month: str | None
    ) -> list[Tally]:
        """Counts per month (and key), ordered by month, for months in the inclusive range."""

    @abstractmethod
    def months(self) -> tuple[str, str] | None:
        """The first and last month with any registration."""


class VolumeProjection(ChangeProjection):
    name = "volume"

    @singledispatchmethod
    def changes(self, domain_event: Any) -> Sequence[VolumeChange]:
        return ()

    @changes.register
    def _(self, event: Complaint.Registered) -> Sequence[VolumeChange]:
        return (Registration(event.timestamp, event.category, event.district, event.channel),)

    @changes.register
    def _(self, event: Complaint.Resolved) -> Sequence[VolumeChange]:
        return (Resolution(event.timestamp),)
