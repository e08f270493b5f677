"""Open311's own store: each request's coordinates, address id and photo link."""

from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from application.countersign import Countersigned
from domain.service_request import ServiceRequest


class Open311Records(Countersigned):
    name = "Open311"

    def details(self, complaint_id: UUID) -> ServiceRequest | None:
        try:
            return self.repository.get(complaint_id)
        except AggregateNotFoundError:
            return None
