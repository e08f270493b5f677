"""Open311 GeoReport v2 over the centre's complaints.

A request becomes a complaint of the channel ``open311``: triaged for its address and
district, registered, and routed by the routing table like a post from any channel, under
the service (category) the citizen chose. What a client reads back is the complaint itself:
its status, the organisation it was handed to, its deadlines and each event as an update.
Only requests made through Open311 are served: complaints from other channels were made
where their authors chose (a social network thread, a private ПОС appeal), and the
specification's reading calls need no key.
"""

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from application.commands import Attach, AttachmentRef, Register
from application.complaints import ComplaintService
from application.intake.flow import Intake, address_label
from application.open311.answers import KeptAnswers
from application.open311.catalogue import Catalogue, Service
from application.open311.errors import InvalidRequest, NotFound
from application.open311.records import Open311Records
from application.open311.states import note, open_or_closed, statuses_of
from application.projections.complaint_list import ComplaintQuery, Sort, SortKey
from application.projections.readmodels import ReadModels
from domain.complaint import Channel, Complaint
from domain.lifecycle import OPEN
from domain.service_request import InvalidServiceRequest, ServiceRequest

MAX_DESCRIPTION = 4000
# The specification's limits: a search spans at most 90 days (the last 90 by default) and
# returns at most 1,000 requests unless the client pages.
WINDOW = timedelta(days=90)
DEFAULT_LIMIT = 1000
# How many requests pages may pass over: a listing reads every request before its page.
MAX_PASSED = 10_000
# The update history's pages are smaller: an update is cheap to find but not to write out,
# and a 200-update answer costs an anonymous caller's share of a core, not a core.
UPDATES_PER_PAGE = 200
# Answers to anonymous reading calls are kept this long (seconds), this many of them.
ANSWERS_KEPT_SECONDS = 5.0
ANSWERS_KEPT = 64
MAX_ADDRESS = 1000
MAX_CONTACT = 255
# Tags are what "no HTML" means for a citizen's text; a lone "<" or "a < b" is ordinary prose.
_HTML = re.compile(r"<[A-Za-z/!?][^<>]*>")
_END_INCLUSIVE = timedelta(microseconds=1)


@dataclass(frozen=True, slots=True)
class NewRequest:
    """A POST Service Request's parameters, parsed but not yet judged."""

    service_code: str | None
    lat: float | None = None
    long: float | None = None
    address_string: str | None = None
    address_id: str | None = None
    attributes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    description: str | None = None
    media_url: str | None = None
    email: str | None = None
    device_id: str | None = None
    account_id: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    phone: str | None = None


@dataclass(frozen=True, slots=True)
class Submission:
    service_request_id: str
    # The request's own reference (the complaint's source_ref), for clients that keep tokens.
    token: str
    service_notice: str
    account_id: str | None


@dataclass(frozen=True, slots=True)
class Page:
    number: int = 1
    size: int = DEFAULT_LIMIT
    # The call's largest page.
    most: int = DEFAULT_LIMIT

    def __post_init__(self) -> None:
        problems = []
        if self.number < 1:
            problems.append("page must be 1 or more")
        if not 1 <= self.size <= self.most:
            problems.append(f"page_size must be between 1 and {self.most}")
        if problems:
            raise InvalidRequest(*problems)


@dataclass(frozen=True, slots=True)
class RequestQuery:
    service_codes: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    start: datetime | None = None
    end: datetime | None = None
    page: Page = Page()


@dataclass(frozen=True, slots=True)
class ServiceRequestView:
    """One request as GET Service Request(s) return it, in the specification's field order."""

    service_request_id: str
    status: str
    status_notes: str
    service_name: str | None
    service_code: str | None
    description: str
    agency_responsible: str | None
    service_notice: str
    requested_datetime: datetime
    updated_datetime: datetime
    expected_datetime: datetime | None
    address: str | None
    address_id: str | None
    lat: float | None
    long: float | None
    media_url: str | None


@dataclass(frozen=True, slots=True)
class RequestUpdate:
    update_id: str
    service_request_id: str
    status: str
    updated_datetime: datetime
    description: str
    media_url: str | None


def service_notice(norm: timedelta, resolution: timedelta) -> str:
    return f"Первый ответ — в течение {_duration(norm)}, решение — в течение {_duration(resolution)}"


def _duration(span: timedelta) -> str:
    if span >= timedelta(days=1) and span % timedelta(days=1) == timedelta(0):
        return f"{span.days} сут."
    hours, rest = divmod(int(span.total_seconds()), 3600)
    return f"{hours} ч {rest // 60} мин" if rest else f"{hours} ч"


class Open311:
    def __init__(
        self,
        *,
        complaints: ComplaintService,
        records: Open311Records,
        read_models: ReadModels,
        catalogue: Catalogue,
        intake: Callable[[], Intake],
    ) -> None:
        self.complaints = complaints
        self.records = records
        self.read_models = read_models
        self.catalogue = catalogue
        # Resolved on the first request: triage loads its dictionaries only when needed.
        self._intake = intake
        self.answers = KeptAnswers(complaints.clock, seconds=ANSWERS_KEPT_SECONDS, most=ANSWERS_KEPT)

    # POST Service Request.

    def submit(self, request: NewRequest, *, actor: str) -> Submission:
        """Registers and routes the request; every problem with it is reported at once."""
        service = self.catalogue.service(request.service_code)
        problems = _problems(request)
        try:
            answers = service.answers(request.attributes)
        except InvalidRequest as error:
            problems += error.problems
            answers = []
        token = str(uuid4())
        complaint_id = self.complaints.id_of(Channel.OPEN311, token)
        now = self.complaints.clock.now()
        try:
            details = ServiceRequest.submit(
                complaint_id=complaint_id,
                at=now,
                lat=request.lat,
                long=request.long,
                address_id=request.address_id,
                media_url=request.media_url,
            )
        except InvalidServiceRequest as error:
            raise InvalidRequest(*problems, str(error)) from None
        if problems:
            raise InvalidRequest(*problems)

        text = _complaint_text(service, request, answers)
        intake = self._intake()
        verdict = intake.triage.assess(text, Channel.OPEN311)
        # Saved first: a crash before the registration leaves details of no complaint, which
        # nothing reads; the other order could lose a registered request's coordinates.
        self.records.save(details)
        self.complaints.register(
            Register(
                channel=Channel.OPEN311,
                source_ref=token,
                author_ref=_author_ref(request, token),
                text=text,
                received_at=now,
                actor=actor,
                address=address_label(verdict.address) if verdict.address is not None else request.address_string,
                category=service.code,
                district=verdict.district,
                author_name=" ".join(filter(None, (request.first_name, request.last_name))) or None,
                author_phone=request.phone,
                author_email=request.email,
            )
        )
        if request.media_url is not None:
            # The photo is the complaint's attachment, shown on its card like a network's.
            photo = AttachmentRef("photo", request.media_url, request.media_url)
            self.complaints.handle(Attach(complaint_id, attachments=(photo,), actor=actor))
        intake.route(complaint_id, district=verdict.district, actor=actor)
        policy = self.complaints.policy
        return Submission(
            service_request_id=str(complaint_id),
            token=token,
            service_notice=service_notice(policy.norm, policy.resolution),
            account_id=request.account_id,
        )

    # GET service_request_id from a token.

    def service_request_id(self, token: str) -> str:
        complaint_id = self.complaints.id_of(Channel.OPEN311, token)
        if self.records.details(complaint_id) is None or self._events(complaint_id) is None:
            raise NotFound(f"token {token} was not found")
        return str(complaint_id)

    # GET Service Request(s).

    def request(self, service_request_id: str) -> ServiceRequestView:
        found = self._view(service_request_id)
        if found is None:
            raise NotFound(f"service_request_id {service_request_id} was not found")
        return found

    def requests_by_id(self, service_request_ids: Sequence[str]) -> list[ServiceRequestView]:
        """The requests named, in the order named; ids of no request here are left out."""
        unique = list(dict.fromkeys(service_request_ids))
        if len(unique) > DEFAULT_LIMIT:
            raise InvalidRequest(f"at most {DEFAULT_LIMIT} service_request_id values at once")
        return [view for view in map(self._view, unique) if view is not None]

    def requests(self, query: RequestQuery) -> list[ServiceRequestView]:
        """Newest first, by the moment the request was made."""
        start, end = self._window(query.start, query.end)
        unknown_codes = [code for code in query.service_codes if self.catalogue.find(code) is None]
        if unknown_codes:
            raise InvalidRequest(f"service_code {', '.join(unknown_codes)} is not a service here")
        unknown = [state for state in query.statuses if state not in ("open", "closed")]
        if unknown:
            raise InvalidRequest(f"status must be open or closed, not {', '.join(unknown)}")
        search = ComplaintQuery(
            channel=(Channel.OPEN311.value,),
            category=query.service_codes,
            status=tuple(s.value for state in query.statuses for s in statuses_of(state)),
            received_from=start,
            received_before=end + _END_INCLUSIVE,
            sort=Sort(SortKey.RECEIVED, descending=True),
            limit=query.page.size,
        )
        # The queue's view pages by keyset; the specification's extension numbers pages. The
        # pages before are passed in one read, never one read per page (page=100000&page_size=1).
        before = (query.page.number - 1) * query.page.size
        if before > MAX_PASSED:
            raise InvalidRequest(f"a page may start at most {MAX_PASSED} requests in; narrow start_date and end_date")
        if before:
            passed = self.read_models.complaints(replace(search, limit=before)).value
            if passed.next_after is None:
                return []
            search = replace(search, after=passed.next_after)
        listed = self.read_models.complaints(search).value.items
        return [view for view in (self._view(item.id) for item in listed) if view is not None]

    # GET Service Request Updates (FixMyStreet's extension).

    def updates(self, start: datetime | None, end: datetime | None, page: Page) -> list[RequestUpdate]:
        """Each event of each Open311 request between the moments, oldest first, a page at a
        time, read from the update view: a page's rows, never the log of the window."""
        start, end = self._window(start, end)
        found = self.read_models.open311_updates(
            start, end, limit=page.size, offset=(page.number - 1) * page.size
        ).value
        return [
            RequestUpdate(
                # Versions sort as numbers within a request only if they are padded.
                update_id=f"{update.complaint_id}-{update.version:06d}",
                service_request_id=update.complaint_id,
                status=update.status,
                updated_datetime=update.updated_at,
                description=update.description,
                # An update carries no photo of its own; the request's is the request's media_url.
                media_url=None,
            )
            for update in found
        ]

    # Reading.

    def _window(self, start: datetime | None, end: datetime | None) -> tuple[datetime, datetime]:
        if start is None and end is None:
            end = self.complaints.clock.now()
        if start is None:
            start = end - WINDOW
        if end is None:
            end = start + WINDOW
        if start > end:
            raise InvalidRequest("start_date must not be after end_date")
        if end - start > WINDOW:
            raise InvalidRequest(f"start_date and end_date may not span more than {WINDOW.days} days")
        return start, end

    def _events(self, complaint_id: UUID) -> list[Any] | None:
        events = list(self.complaints.repository.event_store.get(complaint_id))
        return events or None

    def _view(self, service_request_id: str) -> ServiceRequestView | None:
        try:
            complaint_id = UUID(service_request_id)
        except ValueError:
            return None
        events = self._events(complaint_id)
        if events is None:
            return None
        complaint: Complaint | None = None
        for event in events:
            complaint = event.mutate(complaint)
        assert complaint is not None
        if complaint.channel != Channel.OPEN311:
            return None
        details = self.records.details(complaint_id)
        service = self.catalogue.find(complaint.category)
        return ServiceRequestView(
            service_request_id=str(complaint.id),
            status=open_or_closed(complaint.status),
            status_notes=note(events[-1]),
            service_name=service.name if service is not None else None,
            service_code=complaint.category,
            description=complaint.text,
            agency_responsible=complaint.organisation,
            service_notice=service_notice(complaint.policy.norm, complaint.policy.resolution),
            requested_datetime=complaint.received_at,
            updated_datetime=complaint.modified_on,
            expected_datetime=_expected(complaint),
            address=complaint.address,
            address_id=details.address_id if details is not None else None,
            lat=details.lat if details is not None else None,
            long=details.long if details is not None else None,
            media_url=_media_url(complaint, details.media_url if details is not None else None),
        )


def _media_url(complaint: Complaint, submitted: str | None) -> str | None:
    """The complaint's first attachment with an address (the photo given as ``media_url``, or
    one attached since); a request made before attachments were recorded has only its own."""
    return next((a.url for a in complaint.attachments if a.url is not None), submitted)


def _expected(complaint: Complaint) -> datetime | None:
    """What the citizen waits for next: the first answer while the reaction clock runs, then
    the resolution; nothing once the request is closed."""
    if complaint.status not in OPEN:
        return None
    if complaint.reaction.running:
        return complaint.reaction.deadline
    return complaint.resolution_deadline.deadline


def _problems(request: NewRequest) -> list[str]:
    problems: list[str] = []
    located = (
        request.lat is not None
        or request.long is not None
        or request.address_string is not None
        or request.address_id is not None
    )
    if not located:
        problems.append("a location is required: lat and long, address_string or address_id")
    if request.address_string is not None and len(request.address_string) > MAX_ADDRESS:
        problems.append(f"address_string is longer than {MAX_ADDRESS} characters")
    if request.description is not None:
        if len(request.description) > MAX_DESCRIPTION:
            problems.append(f"description is longer than {MAX_DESCRIPTION} characters")
        if _HTML.search(request.description):
            problems.append("description must be plain text, without HTML")
    # The values themselves are personal data and never go into a message.
    contacts = {
        "email": request.email,
        "device_id": request.device_id,
        "account_id": request.account_id,
        "first_name": request.first_name,
        "last_name": request.last_name,
        "phone": request.phone,
    }
    problems += [
        f"{name} is longer than {MAX_CONTACT} characters"
        for name, value in contacts.items()
        if value is not None and len(value) > MAX_CONTACT
    ]
    return problems


def _complaint_text(service: Service, request: NewRequest, answers: list[str]) -> str:
    """What the operator reads: the citizen's words, then the form's answers and the place as given."""
    place = [
        f"Адрес: {request.address_string}" if request.address_string is not None else None,
        f"Координаты: {request.lat}, {request.long}" if request.lat is not None else None,
        f"Код адреса: {request.address_id}" if request.address_id is not None else None,
        f"Фото: {request.media_url}" if request.media_url is not None else None,
    ]
    details = [*answers, *filter(None, place)]
    body = request.description.strip() if request.description and request.description.strip() else service.name
    return "\n\n".join([body, "\n".join(details)]) if details else body


def _author_ref(request: NewRequest, token: str) -> str:
    """Who the citizen is to the centre, by the strongest identity the client gave: the
    client's account, else a contact, else the device; alone, the request stands for them."""
    for kind, value in (
        ("account", request.account_id),
        ("email", request.email and request.email.lower()),
        ("phone", request.phone),
        ("device", request.device_id),
    ):
        if value:
            return f"open311:{kind}:{value}"
    return f"open311:request:{token}"
