"""Errors the domain raises. Each names what was refused and why, in words an operator reads."""

from uuid import UUID

from domain.lifecycle import Move, Status


class DomainError(Exception):
    """A rule of the domain refused a command; nothing was recorded."""


class MoveRefused(DomainError):
    """The lifecycle does not allow this move from the complaint's current state."""

    def __init__(self, move: Move, status: Status, reason: str | None = None) -> None:
        self.move = move
        self.status = status
        detail = f"cannot {move} a complaint that is {status}"
        super().__init__(f"{detail}: {reason}" if reason else detail)


class InvalidComplaint(DomainError):
    """A value given to the complaint breaks one of its invariants."""


class OutOfTime(InvalidComplaint):
    """A publication time in the future or over a year ago: a mistyped date or a clock gone
    wrong, not a post to answer now."""


class InvalidText(DomainError):
    """A text holds a character no person types, or a line break where one line is expected."""


class SourceTaken(DomainError):
    """Another post was registered under this channel and source reference: a second citizen's
    complaint must not be answered with the first one's."""

    def __init__(self, complaint_id: UUID) -> None:
        self.complaint_id = complaint_id
        super().__init__(
            f"complaint {complaint_id} was registered for this channel and source_ref with other content; "
            "give this post a reference of its own"
        )
