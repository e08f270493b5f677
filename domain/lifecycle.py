"""The complaint's states and which moves each state allows.

One table, so the HTTP layer, the specifications and the state-machine tests all read the
same rules instead of re-deriving them.
"""

from enum import StrEnum


class Status(StrEnum):
    REGISTERED = "registered"
    CLARIFICATION_REQUESTED = "clarification_requested"
    ASSIGNED = "assigned"
    RESPONDED = "responded"
    RESOLVED = "resolved"
    REJECTED = "rejected"
    DUPLICATE = "duplicate"


class Move(StrEnum):
    REQUEST_CLARIFICATION = "request clarification for"
    CLARIFY = "clarify"
    REJECT = "reject"
    ASSIGN = "assign"
    REASSIGN = "reassign"
    RESPOND = "respond to"
    RESOLVE = "resolve"
    REOPEN = "reopen"
    MARK_DUPLICATE = "mark as duplicate"


OPEN = frozenset({Status.REGISTERED, Status.CLARIFICATION_REQUESTED, Status.ASSIGNED, Status.RESPONDED})

ALLOWED: dict[Move, frozenset[Status]] = {
    Move.REQUEST_CLARIFICATION: frozenset({Status.REGISTERED}),
    Move.CLARIFY: frozenset({Status.CLARIFICATION_REQUESTED}),
    # An author who never answers the clarification request is rejected from that state.
    Move.REJECT: frozenset({Status.REGISTERED, Status.CLARIFICATION_REQUESTED}),
    Move.ASSIGN: frozenset({Status.REGISTERED}),
    Move.REASSIGN: frozenset({Status.ASSIGNED, Status.RESPONDED}),
    # A responded complaint may get further public updates before it is resolved.
    Move.RESPOND: frozenset({Status.ASSIGNED, Status.RESPONDED}),
    Move.RESOLVE: frozenset({Status.RESPONDED}),
    Move.REOPEN: frozenset({Status.RESOLVED}),
    Move.MARK_DUPLICATE: OPEN,
}


def allowed_moves(status: Status) -> frozenset[Move]:
    return frozenset(move for move, sources in ALLOWED.items() if status in sources)
