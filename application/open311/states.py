"""A complaint's state and events in Open311's words.

GeoReport v2 knows two states, open and closed. The update history extension, as FixMyStreet
reads it, has finer ones (investigating, in_progress, fixed, ...); the note of each event is
what the citizen is told happened, never who did it inside the centre.
"""

from functools import singledispatch
from typing import Any

from domain.complaint import Complaint
from domain.lifecycle import OPEN, Status

# FixMyStreet maps no_further_action to "unable to fix", which is what a rejection tells the
# citizen; its plain "closed" may be configured to read as "fixed", so it is not used.
_DETAILED = {
    Status.REGISTERED: "open",
    Status.CLARIFICATION_REQUESTED: "investigating",
    Status.ASSIGNED: "in_progress",
    Status.RESPONDED: "in_progress",
    Status.RESOLVED: "fixed",
    Status.REJECTED: "no_further_action",
    Status.DUPLICATE: "duplicate",
}


def open_or_closed(status: Status) -> str:
    return "open" if status in OPEN else "closed"


def statuses_of(state: str) -> tuple[Status, ...]:
    """The complaint statuses an Open311 status stands for."""
    return tuple(s for s in Status if open_or_closed(s) == state)


def detailed(status: Status) -> str:
    return _DETAILED[status]


# The status each event leaves a complaint in, so an update is read from its event alone.
# A reassignment leaves an assigned or a responded complaint as it was: in progress, either way.
_AFTER: dict[type[Any], Status] = {
    Complaint.Registered: Status.REGISTERED,
    Complaint.ClarificationRequested: Status.CLARIFICATION_REQUESTED,
    Complaint.Clarified: Status.REGISTERED,
    Complaint.Rejected: Status.REJECTED,
    Complaint.Assigned: Status.ASSIGNED,
    Complaint.Reassigned: Status.ASSIGNED,
    Complaint.Responded: Status.RESPONDED,
    Complaint.Resolved: Status.RESOLVED,
    Complaint.Reopened: Status.ASSIGNED,
    Complaint.MarkedDuplicate: Status.DUPLICATE,
}


def detailed_after(event: Any) -> str:
    """The update status an event gives its complaint (FixMyStreet's word)."""
    return _DETAILED[_AFTER[type(event)]]


@singledispatch
def note(event: Any) -> str:
    raise TypeError(f"no Open311 note for {type(event).__name__}")


@note.register
def _(event: Complaint.Registered) -> str:
    return "Обращение зарегистрировано"


@note.register
def _(event: Complaint.ClarificationRequested) -> str:
    return f"Запрошено уточнение: {event.question}"


@note.register
def _(event: Complaint.Clarified) -> str:
    return "Автор уточнил обращение"


@note.register
def _(event: Complaint.Rejected) -> str:
    return f"Обращение отклонено: {event.reason}"


@note.register(Complaint.Assigned)
@note.register(Complaint.Reassigned)
def _(event: Complaint.Assigned | Complaint.Reassigned) -> str:
    return f"Передано в работу: {event.organisation}"


@note.register(Complaint.Responded)
@note.register(Complaint.Resolved)
def _(event: Complaint.Responded | Complaint.Resolved) -> str:
    return event.text


@note.register
def _(event: Complaint.Reopened) -> str:
    return f"Работа возобновлена: {event.reason}"


@note.register
def _(event: Complaint.MarkedDuplicate) -> str:
    return f"Объединено с обращением {event.original_id}"


@note.register
def _(event: Complaint.SourceEdited) -> str:
    return "Автор изменил текст обращения"


@note.register
def _(event: Complaint.SourceDeleted) -> str:
    return "Публикация удалена; обращение остаётся в работе"


@note.register
def _(event: Complaint.SourceRestored) -> str:
    return "Публикация восстановлена"


@note.register
def _(event: Complaint.Attached) -> str:
    return "Добавлены фото или документы"
