"""The audit page: whether the log is intact, a complaint as it stood at a chosen moment
stepping through its history, and who read its author's personal data.

The same services as the API's audit and history: TamperEvidence, ComplaintHistory and
PersonalDataAccess. The author is never shown here, not even sealed: auditors may not see it,
and where they may read it is the complaint card, which records each read.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter
from litestar.response import Template

from application.audit.history import ComplaintHistory, HistoryEntry, NotYetRegistered
from application.audit.tamper import TamperEvidence, Verification
from application.errors import ComplaintNotFound
from application.personal_data_access import PersonalDataAccess
from application.projections.calendar import MOSCOW
from application.views import ComplaintView
from domain.disclosure import Read
from interfaces.web import names

_CONSOLE = {"console": True}
_LOCAL_MOMENT = r"^2[0-9]{3}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9](:[0-5][0-9])?$"
# What the page never shows of an event or a state: who the author is, and where they wrote.
_PERSONAL = frozenset({"author_ref", "source_ref", "author_name", "author_phone", "author_email"})


@dataclass(frozen=True, slots=True)
class Step:
    """The complaint at one version of its history, and the event that made it so."""

    state: ComplaintView
    entry: HistoryEntry
    entries: list[HistoryEntry]
    reads: list[Read]

    @property
    def changes(self) -> dict[str, tuple[Any, Any]]:
        return {name: change for name, change in self.entry.changes.items() if name not in _PERSONAL}

    @property
    def previous(self) -> int | None:
        return self.entry.version - 1 if self.entry.version > 1 else None

    @property
    def next(self) -> int | None:
        return self.entry.version + 1 if self.entry.version < len(self.entries) else None


def shown(name: str, value: Any) -> str:
    """A field's value as the page reads it: Russian names, Moscow time, lists joined."""
    if value is None or value == ():
        return "—"
    if isinstance(value, datetime):
        return value.astimezone(MOSCOW).strftime("%d.%m.%Y %H:%M:%S")
    if isinstance(value, tuple | list):
        return " · ".join(str(item) for item in value)
    catalogue = {"status": names.STATUSES, "channel": names.CHANNELS, "category": names.CATEGORIES}.get(name, {})
    return catalogue.get(str(value), str(value))


def _moment(typed: str) -> datetime:
    # As the form's datetime-local sends it: without a zone, in Moscow time as all the page is.
    return datetime.fromisoformat(typed).replace(tzinfo=MOSCOW)


def _step(
    history: ComplaintHistory,
    personal_data: PersonalDataAccess,
    complaint: UUID,
    version: int | None,
    at: datetime | None,
) -> Step:
    entries = history.entries(complaint)
    if at is not None:
        state = history.as_of(complaint, at)
    else:
        chosen = min(max(version or len(entries), 1), len(entries))
        state = history.at_version(complaint, chosen)
    return Step(state, entries[state.version - 1], entries, personal_data.reads(complaint))


class AuditPage(Controller):
    path = "/audit"
    include_in_schema = False

    @get("/", operation_id="consoleAudit", sync_to_thread=True, opt=_CONSOLE)
    def page(
        self,
        tamper: NamedDependency[TamperEvidence],
        history: NamedDependency[ComplaintHistory],
        personal_data: NamedDependency[PersonalDataAccess],
        verify: Annotated[bool, QueryParameter(required=False, description="check the whole log now")] = False,
        complaint: Annotated[UUID | None, QueryParameter(required=False)] = None,
        version: Annotated[int | None, QueryParameter(required=False, ge=1)] = None,
        at: Annotated[
            str | None, QueryParameter(required=False, pattern=_LOCAL_MOMENT, description="YYYY-MM-DDTHH:MM, Moscow")
        ] = None,
    ) -> Template:
        # Checking recomputes every chain and checkpoint: on request, not at every visit.
        verification: Verification | None = tamper.verify() if verify else None
        step: Step | None = None
        problem: str | None = None
        status = 200
        if complaint is not None:
            try:
                step = _step(history, personal_data, complaint, version, _moment(at) if at else None)
            except ComplaintNotFound:
                problem, status = "Такого обращения нет.", 404
            except NotYetRegistered:
                problem = "В этот момент обращение ещё не было зарегистрировано."
        return Template(
            template_name="audit.html",
            context={
                "verification": verification,
                "complaint": complaint,
                "step": step,
                "problem": problem,
                "shown": shown,
                "at": at or "",
            },
            status_code=status,
        )
