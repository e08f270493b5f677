"""Errors the domain raises. Each names what was refused and why, in words an operator reads."""

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


class InvalidText(DomainError):
    """A text holds a character no person types, or a line break where one line is expected."""
