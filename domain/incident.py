"""Incidents: posts about the same problem in the same place, merged as the national practice does.

An incident gathers complaints of one category at one address while they keep coming: a post
joins the open incident when it arrives within the window after the previous one; after a
quiet window the next post opens a new incident. The ``IncidentSite`` remembers which
incident is current for a (category, address) pair, so joining needs no search.
"""

from datetime import datetime, timedelta
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

_INCIDENT_NAMESPACE = uuid5(NAMESPACE_URL, "urn:mcu:incident")
_SITE_NAMESPACE = uuid5(NAMESPACE_URL, "urn:mcu:incident-site")
_MEMBERSHIP_NAMESPACE = uuid5(NAMESPACE_URL, "urn:mcu:incident-membership")


def site_key(category: str, address: str) -> str:
    # Case, ё and spacing differ between posts about the same house; they must not split it.
    folded = " ".join(address.casefold().replace("ё", "е").split())
    return f"{category}\x1f{folded}"


class Incident(Aggregate):
    class Opened(Aggregate.Created):
        category: str
        address: str
        district: str | None
        complaint_id: UUID

    class Joined(Aggregate.Event):
        complaint_id: UUID

    @staticmethod
    def create_id(first_complaint_id: UUID) -> UUID:
        return uuid5(_INCIDENT_NAMESPACE, str(first_complaint_id))

    @classmethod
    def open(
        cls,
        *,
        category: str,
        address: str,
        district: str | None,
        complaint_id: UUID,
        at: datetime,
    ) -> "Incident":
        return cls._create(
            cls.Opened,
            id=cls.create_id(complaint_id),
            timestamp=at,
            category=category,
            address=address,
            district=district,
            complaint_id=complaint_id,
        )

    @event(Opened)
    def __init__(self, category: str, address: str, district: str | None, complaint_id: UUID) -> None:
        self.category = category
        self.address = address
        self.district = district
        self.complaint_ids: list[UUID] = [complaint_id]

    def join(self, complaint_id: UUID, *, at: datetime) -> None:
        self._joined(complaint_id=complaint_id, timestamp=at)

    @event(Joined)
    def _joined(self, complaint_id: UUID, timestamp: datetime) -> None:
        self.complaint_ids = [*self.complaint_ids, complaint_id]


class IncidentSite(Aggregate):
    """The current incident at one (category, address) and when it last received a post."""

    class Started(Aggregate.Created):
        key: str
        incident_id: UUID

    class Touched(Aggregate.Event):
        incident_id: UUID

    @staticmethod
    def create_id(category: str, address: str) -> UUID:
        return uuid5(_SITE_NAMESPACE, site_key(category, address))

    @classmethod
    def start(cls, *, category: str, address: str, incident_id: UUID, at: datetime) -> "IncidentSite":
        return cls._create(
            cls.Started,
            id=cls.create_id(category, address),
            timestamp=at,
            key=site_key(category, address),
            incident_id=incident_id,
        )

    @event(Started)
    def __init__(self, key: str, incident_id: UUID) -> None:
        self.key = key
        self.incident_id = incident_id

    def current(self, at: datetime, window: timedelta) -> UUID | None:
        """The incident a post at ``at`` joins, or None when the site has been quiet too long."""
        return self.incident_id if at - self.modified_on <= window else None

    def touch(self, incident_id: UUID, *, at: datetime) -> None:
        self._touched(incident_id=incident_id, timestamp=at)

    @event(Touched)
    def _touched(self, incident_id: UUID, timestamp: datetime) -> None:
        self.incident_id = incident_id


class IncidentMembership(Aggregate):
    """Which incident a complaint was linked to: one per complaint, so linking happens once."""

    class Linked(Aggregate.Created):
        incident_id: UUID

    @staticmethod
    def create_id(complaint_id: UUID) -> UUID:
        return uuid5(_MEMBERSHIP_NAMESPACE, str(complaint_id))

    @classmethod
    def link(cls, *, complaint_id: UUID, incident_id: UUID, at: datetime) -> "IncidentMembership":
        return cls._create(cls.Linked, id=cls.create_id(complaint_id), timestamp=at, incident_id=incident_id)

    @event(Linked)
    def __init__(self, incident_id: UUID) -> None:
        self.incident_id = incident_id
