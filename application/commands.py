"""What may be asked of the complaint service, one typed command per move.

Every interface (the API, the CLI, the intake flow, Open311, the demonstration) builds one of
these and hands it to ``ComplaintService``: ``register`` for a ``Register``, ``handle`` for a
move on a registered complaint.
"""

from dataclasses import KW_ONLY, dataclass
from datetime import datetime
from uuid import UUID


@dataclass(frozen=True, slots=True)
class Register:
    """A post or appeal to register, as plain values."""

    channel: str
    source_ref: str
    author_ref: str
    text: str
    received_at: datetime
    actor: str
    address: str | None = None
    category: str | None = None
    district: str | None = None
    author_name: str | None = None
    author_phone: str | None = None
    author_email: str | None = None


@dataclass(frozen=True, slots=True)
class ComplaintCommand:
    """A move on a registered complaint. Without an expected version it applies to the latest
    state; with one, only to that version (a stale one is refused)."""

    complaint_id: UUID
    _: KW_ONLY
    actor: str
    expected_version: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class RequestClarification(ComplaintCommand):
    question: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Clarify(ComplaintCommand):
    text: str
    address: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Reject(ComplaintCommand):
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Assign(ComplaintCommand):
    """Hand over to the organisation that must act; a second one is a reassignment."""

    organisation: str
    executor: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Respond(ComplaintCommand):
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Resolve(ComplaintCommand):
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Reopen(ComplaintCommand):
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class MarkDuplicate(ComplaintCommand):
    original_id: UUID


# Facts about the citizen's post on its network: recorded whatever the complaint's state, and
# only once however often the network delivers them.


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordEdit(ComplaintCommand):
    """The author edited the post: its new text."""

    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordDeletion(ComplaintCommand):
    """The post was deleted on its network; ``deleter_ref`` is who deleted it, in the form of
    the channel's author references (``vk:id…``), when the network says."""

    deleter_ref: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordRestoration(ComplaintCommand):
    """The deleted post is back on its network."""


@dataclass(frozen=True, slots=True)
class AttachmentRef:
    """A photo or document as its network names it (see domain.complaint.Attachment)."""

    kind: str
    ref: str
    url: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Attach(ComplaintCommand):
    attachments: tuple[AttachmentRef, ...]
