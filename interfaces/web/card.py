"""The complaint card: what was written and where, what happened since, and the moves the
lifecycle allows now for the reader's role, each a form that builds the API's typed command and
hands it to ComplaintService.handle. A change made by someone else meanwhile is never
overwritten: the card says so and shows the complaint as it now stands."""

import re
from dataclasses import dataclass, field
from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.handlers import HTTPRouteHandler
from litestar.params import Body, FromPath, FromQuery
from litestar.response import Redirect, Template

from application.access import Principal
from application.audit.history import ComplaintHistory, HistoryEntry
from application.commands import (
    Assign,
    Clarify,
    ComplaintCommand,
    MarkDuplicate,
    Reject,
    Reopen,
    RequestClarification,
    Resolve,
    Respond,
)
from application.complaints import ComplaintService
from application.errors import ComplaintNotFound, StaleVersion
from application.intake.records import IntakeRecords
from application.personal_data import AuthorDetails
from application.personal_data_access import PersonalDataAccess
from application.replies.process import REPLY_CHANNELS, DeliveryNotFound, Replies
from application.views import ComplaintView
from domain.delivery import Delivery
from domain.errors import DomainError, MoveRefused
from domain.lifecycle import Move
from interfaces.http.auth import PERSONAL_DATA_ROLES, ROLES
from interfaces.http.complaints import COMMAND_ROUTES, CommandRoute, visible
from interfaces.web.choices import choices
from interfaces.web.names import russian
from interfaces.web.origin import original_post
from interfaces.web.reply_templates import RESOLUTIONS, RESPONSES

# Which command each move of the lifecycle is, in the order the card offers them: the usual
# way forward first. A reassignment is an assignment made again.
MOVE_COMMANDS: dict[str, type[ComplaintCommand]] = {
    Move.ASSIGN.name.lower(): Assign,
    Move.REASSIGN.name.lower(): Assign,
    Move.RESPOND.name.lower(): Respond,
    Move.RESOLVE.name.lower(): Resolve,
    Move.REQUEST_CLARIFICATION.name.lower(): RequestClarification,
    Move.CLARIFY.name.lower(): Clarify,
    Move.REOPEN.name.lower(): Reopen,
    Move.REJECT.name.lower(): Reject,
    Move.MARK_DUPLICATE.name.lower(): MarkDuplicate,
}
_ROUTES = {route.command: route for route in COMMAND_ROUTES}
# The events whose words go to the author, each as one delivery.
_REPLIED = frozenset({"ClarificationRequested", "Responded", "Resolved"})
# An incident may merge many complaints; the card lists the first of them.
_INCIDENT_SHOWN = 20

# The field msgspec names in a validation error: "… - at `$.text`", "… required field `text`".
_FIELD = re.compile(r"`\$\.(\w+)`|field `(\w+)`")

FormData = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]


@dataclass(frozen=True, slots=True)
class MoveForm:
    move: str
    route: CommandRoute
    # What the person typed, given back when their command was not recorded.
    typed: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Reply:
    entry: HistoryEntry
    state: str | None
    note: str | None


def _admitted(principal: Principal, route: CommandRoute) -> bool:
    return principal.role in ROLES.get(route.operation_id, frozenset())


def _moves(view: ComplaintView, principal: Principal, typed: dict[str, dict[str, str]]) -> list[MoveForm]:
    forms = []
    for move, command in MOVE_COMMANDS.items():
        route = _ROUTES[command]
        if move in view.allowed_moves and _admitted(principal, route):
            forms.append(MoveForm(move, route, typed.get(route.segment, {})))
    return forms


def _replies(view: ComplaintView, entries: list[HistoryEntry], replies: Replies) -> list[Reply]:
    found = []
    for entry in entries:
        if entry.type not in _REPLIED:
            continue
        if view.channel not in REPLY_CHANNELS:
            found.append(Reply(entry, None, "Канал не принимает ответы из системы: сообщите автору его способом"))
            continue
        try:
            found.append(Reply(entry, replies.delivery(Delivery.create_id(view.id, entry.version)).state, None))
        except DeliveryNotFound:
            found.append(Reply(entry, None, "Ещё не поставлен в очередь на отправку"))
    return found


@dataclass(frozen=True, slots=True)
class AttachmentLink:
    kind: str
    ref: str
    # Only a web address is a link: a network's id of a file is shown as it is.
    url: str | None


def _attachment_links(view: ComplaintView) -> list[AttachmentLink]:
    return [
        AttachmentLink(a.kind, a.ref, a.url if a.url and a.url.startswith(("https://", "http://")) else None)
        for a in view.attachments
    ]


@dataclass
class Card:
    """What the card page reads, for a reader: assembled the same way after a refused form."""

    complaints: ComplaintService
    history: ComplaintHistory
    personal_data: PersonalDataAccess
    replies: Replies
    intake_records: IntakeRecords

    def context(
        self,
        request: Request[Principal, Any, Any],
        complaint_id: UUID,
        *,
        reveal: bool = False,
        refused: Exception | None = None,
        typed: dict[str, dict[str, str]] | None = None,
    ) -> dict[str, Any]:
        principal = request.user
        # Another organisation's complaint is, to an executor, as absent as it is in the API.
        view = visible(self.complaints.get(complaint_id), principal)
        entries = self.history.entries(complaint_id)
        may_see_author = principal.role in PERSONAL_DATA_ROLES
        author: AuthorDetails | None = None
        if reveal and may_see_author:
            author = self.personal_data.reveal(complaint_id, reader=principal.actor)
        incident = self.intake_records.incident_of(complaint_id)
        others = [] if incident is None else [i for i in incident.complaint_ids if i != complaint_id]
        others = [view for view in map(self.complaints.get, others) if principal.may_see(view.organisation)]
        settings = request.app.state.services.settings
        return {
            "view": view,
            "entries": list(reversed(entries)),
            "replies": _replies(view, entries, self.replies),
            "origin": original_post(view.channel, view.source_ref, settings),
            "attachments": _attachment_links(view),
            "may_see_author": may_see_author,
            "revealed": reveal and may_see_author,
            "author": author,
            "incident": incident,
            "others": others[:_INCIDENT_SHOWN],
            "more_others": max(len(others) - _INCIDENT_SHOWN, 0),
            "moves": _moves(view, principal, typed or {}),
            "organisations": choices(settings).organisations,
            "templates": {"response": RESPONSES, "resolution": RESOLUTIONS},
            "problem": None if refused is None else _refusal(refused, view),
            "now": self.complaints.clock.now(),
        }


def _not_found(request: Request[Any, Any, Any], exc: ComplaintNotFound) -> Template:
    return Template(template_name="not_found.html", context={}, status_code=404)


def _refusal(exc: Exception, view: ComplaintView) -> str:
    """In words, why the command was not recorded; the card below shows the state it is in now."""
    now = russian(view.status, "status")
    if isinstance(exc, StaleVersion):
        return (
            "Пока вы заполняли форму, обращение изменили (см. историю). Ваше действие не записано, "
            f"чтобы не перезаписать чужое. Сейчас обращение в статусе «{now}»: проверьте и повторите, если нужно."
        )
    if isinstance(exc, MoveRefused):
        return f"Это действие уже недоступно: обращение в статусе «{now}». Ваше действие не записано."
    if isinstance(exc, ComplaintNotFound):
        return "Обращение с таким номером не найдено. Ваше действие не записано."
    if isinstance(exc, msgspec.ValidationError):
        where = _FIELD.search(str(exc))
        named = f"поле «{russian(where.group(1) or where.group(2), 'field')}»" if where else "заполнение формы"
        return f"Проверьте {named}: оно не заполнено или не подходит. Ваше действие не записано."
    return f"Действие не выполнено: значение не подходит ({exc}). Ваше действие не записано."


def _fields(route: CommandRoute, form: dict[str, str]) -> dict[str, str]:
    """The form's fields that the command's body has, without the blank optional ones."""
    names = route.body.__struct_fields__
    return {name: value.strip() for name, value in form.items() if name in names and value.strip()}


def _move_handler(route: CommandRoute) -> HTTPRouteHandler:
    @post(
        f"/complaints/{{complaint_id:uuid}}/{route.segment}",
        operation_id=route.operation_id,
        include_in_schema=False,
        sync_to_thread=True,
        opt={"console": True},
        exception_handlers={ComplaintNotFound: _not_found},
    )
    def handler(
        complaint_id: FromPath[UUID],
        data: FormData,
        request: Request[Principal, Any, Any],
        complaints: NamedDependency[ComplaintService],
        history: NamedDependency[ComplaintHistory],
        personal_data: NamedDependency[PersonalDataAccess],
        replies: NamedDependency[Replies],
        intake_records: NamedDependency[IntakeRecords],
    ) -> Template | Redirect:
        typed = _fields(route, data)
        version = data.get("version", "")
        visible(complaints.get(complaint_id), request.user)
        try:
            body = msgspec.convert(typed, route.body)
            command = route.command(
                complaint_id,
                actor=request.user.actor,
                expected_version=int(version) if version.isdigit() else None,
                **msgspec.structs.asdict(body),
            )
            complaints.handle(command)
        except (StaleVersion, MoveRefused, msgspec.ValidationError, DomainError, ComplaintNotFound) as exc:
            # This complaint unknown is the 404 page; another one unknown (a duplicate's original) is the form's.
            if isinstance(exc, ComplaintNotFound) and exc.complaint_id == complaint_id:
                raise
            card = Card(complaints, history, personal_data, replies, intake_records)
            context = card.context(request, complaint_id, refused=exc, typed={route.segment: typed})
            # The API's answers to the same refusals: 412 for a stale version, 409 for a move no longer allowed.
            status = 412 if isinstance(exc, StaleVersion) else 409 if isinstance(exc, MoveRefused) else 422
            return Template(template_name="complaint.html", context=context, status_code=status)
        # After a post, a redirect: reloading the card never sends the command again.
        return Redirect(f"/complaints/{complaint_id}", status_code=303)

    return handler


class ComplaintCardController(Controller):
    include_in_schema = False
    exception_handlers = {ComplaintNotFound: _not_found}

    @get("/complaints/{complaint_id:uuid}", operation_id="consoleComplaint", sync_to_thread=True, opt={"console": True})
    def card(
        self,
        complaint_id: FromPath[UUID],
        request: Request[Principal, Any, Any],
        complaints: NamedDependency[ComplaintService],
        history: NamedDependency[ComplaintHistory],
        personal_data: NamedDependency[PersonalDataAccess],
        replies: NamedDependency[Replies],
        intake_records: NamedDependency[IntakeRecords],
        author: FromQuery[bool] = False,
    ) -> Template:
        card = Card(complaints, history, personal_data, replies, intake_records)
        context = card.context(request, complaint_id, reveal=author)
        return Template(template_name="complaint.html", context=context, headers={"Cache-Control": "no-store"})


MOVE_HANDLERS = [_move_handler(route) for route in COMMAND_ROUTES]
