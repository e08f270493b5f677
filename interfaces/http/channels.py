"""The operators' view of the channels: screening counts, reply deliveries, incidents."""

from dataclasses import replace
from datetime import date, timedelta
from typing import Annotated
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import ClientException, NotFoundException
from litestar.params import FromPath, QueryParameter

from application.access import Principal
from application.complaints import ComplaintService
from application.errors import ComplaintNotFound
from application.intake.records import CITY_TIME, IncidentView, IntakeRecords
from application.replies.process import DeliveryNotFound, Replies
from domain.complaint import Channel
from domain.delivery import DeliveryRefused
from domain.delivery import DeliveryState as State
from interfaces.http.channel_dto import DeliveryListPage, DeliveryState, IncidentState, ScreeningDayCount
from interfaces.http.problems import problem, problem_responses

_LONGEST_PERIOD = timedelta(days=366)
_OPEN = (State.SCHEDULED, State.SENDING, State.RETRYING, State.UNCONFIRMED, State.FAILED)
# One answer once held 11,845 deliveries (4.4 MB): pages, as the complaints' list has.
DELIVERIES_PAGE, MAX_DELIVERIES_PAGE = 50, 200


class ScreeningController(Controller):
    path = "/api/v1/intake"
    tags = ["channels"]

    @get(
        "/screening",
        operation_id="getScreening",
        sync_to_thread=True,
        summary="Posts screened out as not complaints, per channel, day and reason",
    )
    def screening(
        self,
        intake_records: NamedDependency[IntakeRecords],
        first: Annotated[
            date | None, QueryParameter(name="from", required=False, description="first day; default a week ago")
        ] = None,
        last: Annotated[
            date | None, QueryParameter(name="to", required=False, description="last day; default today")
        ] = None,
        channel: Annotated[Channel | None, QueryParameter(name="channel", required=False)] = None,
    ) -> list[ScreeningDayCount]:
        # Today by the clock the records stamp each screened post with.
        today = intake_records.clock.now().astimezone(CITY_TIME).date()
        last = last or today
        first = first or last - timedelta(days=6)
        if first > last or last - first > _LONGEST_PERIOD:
            raise ClientException("'from' must not be after 'to', and the period at most a year")
        channels = [channel.value] if channel else [c.value for c in Channel]
        counts = intake_records.screening(channels=channels, first=first, last=last)
        return [ScreeningDayCount.of(count) for count in counts]


class DeliveryController(Controller):
    path = "/api/v1/deliveries"
    tags = ["channels"]
    exception_handlers = {
        DeliveryNotFound: lambda _, exc: problem(404, str(exc)),
        DeliveryRefused: lambda _, exc: problem(409, str(exc)),
    }

    @get(
        "/",
        operation_id="listDeliveries",
        sync_to_thread=True,
        summary="Replies to citizens and where each stands, a page at a time; ?state=failed shows what needs a person",
        description="Oldest scheduled first. `next_cursor`, passed as `cursor`, gives the next page "
        "(with the same `state`); it is null after the last.",
    )
    def list_deliveries(
        self,
        replies: NamedDependency[Replies],
        wanted: Annotated[
            State | None,
            QueryParameter(name="state", required=False, description="default: every delivery not yet sent"),
        ] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=MAX_DELIVERIES_PAGE)] = DELIVERIES_PAGE,
        cursor: Annotated[
            str | None, QueryParameter(required=False, pattern=r"^[0-9]{1,18}$", description="a page's `next_cursor`")
        ] = None,
    ) -> DeliveryListPage:
        states = (wanted,) if wanted else _OPEN
        page = replies.delivery_page(*states, limit=limit, after=int(cursor) if cursor else None)
        return DeliveryListPage(
            items=[DeliveryState.of(d) for d in page.items],
            next_cursor=None if page.next_after is None else str(page.next_after),
        )

    @post(
        "/{delivery_id:uuid}/requeue",
        operation_id="requeueDelivery",
        sync_to_thread=True,
        status_code=200,
        responses=problem_responses(409),
        summary="Send a failed or unconfirmed reply again",
        description="For an unconfirmed one, first check on the channel that the citizen did not get it.",
    )
    def requeue(
        self, delivery_id: FromPath[UUID], replies: NamedDependency[Replies], request: Request[Principal, None, None]
    ) -> DeliveryState:
        return DeliveryState.of(replies.requeue(delivery_id, actor=request.user.actor))


class IncidentController(Controller):
    path = "/api/v1"
    tags = ["channels"]

    @get(
        "/incidents/{incident_id:uuid}",
        operation_id="getIncident",
        sync_to_thread=True,
        summary="Complaints about one problem at one place, merged into one incident",
    )
    def read(
        self,
        incident_id: FromPath[UUID],
        intake_records: NamedDependency[IntakeRecords],
        complaints: NamedDependency[ComplaintService],
        request: Request[Principal, None, None],
    ) -> IncidentState:
        incident = _seen(intake_records.incident(incident_id), complaints, request.user)
        return _found(incident, f"no incident with id {incident_id}")

    @get(
        "/complaints/{complaint_id:uuid}/incident",
        operation_id="getComplaintIncident",
        sync_to_thread=True,
        summary="The incident a complaint was merged into",
    )
    def of_complaint(
        self,
        complaint_id: FromPath[UUID],
        intake_records: NamedDependency[IntakeRecords],
        complaints: NamedDependency[ComplaintService],
        request: Request[Principal, None, None],
    ) -> IncidentState:
        if not request.user.may_see(complaints.get(complaint_id).organisation):
            raise ComplaintNotFound(complaint_id)
        incident = _seen(intake_records.incident_of(complaint_id), complaints, request.user)
        return _found(incident, f"complaint {complaint_id} is in no incident")


def _seen(incident: IncidentView | None, complaints: ComplaintService, principal: Principal) -> IncidentView | None:
    """An executor sees an incident through its complaints assigned to their organisation, and
    only those; an incident with none of them is, to them, absent."""
    if incident is None or principal.sees_every_complaint:
        return incident
    mine = tuple(c for c in incident.complaint_ids if principal.may_see(complaints.get(c).organisation))
    return replace(incident, complaint_ids=mine) if mine else None


def _found(incident: IncidentView | None, missing: str) -> IncidentState:
    if incident is None:
        raise NotFoundException(missing)
    return IncidentState.of(incident)
