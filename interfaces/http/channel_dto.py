"""Wire DTOs of the channel endpoints: screening counts, deliveries, incidents."""

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from msgspec import Meta, Struct

from application.intake.records import IncidentView, ScreeningCount
from domain.delivery import Delivery
from interfaces.http.dto import Answer


class ScreeningDayCount(Struct, frozen=True):
    channel: str
    day: Annotated[date, Meta(description="the day in Rostov's time (Europe/Moscow)")]
    dropped: Annotated[int, Meta(description="posts triage judged not to be complaints")]
    by_reason: dict[str, int]

    @classmethod
    def of(cls, count: ScreeningCount) -> "ScreeningDayCount":
        return cls(
            channel=count.channel, day=count.day, dropped=count.total, by_reason=dict(sorted(count.dropped.items()))
        )


class DeliveryState(Answer, frozen=True):
    id: UUID
    complaint_id: UUID
    kind: Annotated[str, Meta(description="clarification_request | response | resolution")]
    channel: str
    source_ref: Annotated[str, Meta(description="the item replied to on its channel")]
    state: Annotated[str, Meta(description="scheduled | sending | sent | retrying | unconfirmed | failed")]
    attempts: int
    last_error: str | None
    retry_at: datetime | None
    external_ref: Annotated[str | None, Meta(description="the published reply on its channel")]
    scheduled_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, delivery: Delivery) -> "DeliveryState":
        return cls(
            id=delivery.id,
            complaint_id=delivery.complaint_id,
            kind=delivery.kind.value,
            channel=delivery.channel,
            source_ref=delivery.source_ref,
            state=delivery.state.value,
            attempts=delivery.attempts,
            last_error=delivery.last_error,
            retry_at=delivery.retry_at if delivery.state.value == "retrying" else None,
            external_ref=delivery.external_ref,
            scheduled_at=delivery.created_on,
            updated_at=delivery.modified_on,
        )


class DeliveryListPage(Struct, frozen=True):
    items: list[DeliveryState]
    next_cursor: Annotated[str | None, Meta(description="pass as `cursor` for the next page; null after the last")]


class IncidentState(Answer, frozen=True):
    id: UUID
    category: str
    address: str
    district: str | None
    complaint_ids: list[UUID]
    opened_at: datetime

    @classmethod
    def of(cls, incident: IncidentView) -> "IncidentState":
        return cls(
            id=incident.id,
            category=incident.category,
            address=incident.address,
            district=incident.district,
            complaint_ids=list(incident.complaint_ids),
            opened_at=incident.opened_at,
        )
