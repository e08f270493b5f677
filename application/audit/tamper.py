"""Tamper evidence: recompute every complaint's hash chain and every checkpoint of the log."""

import hashlib
import hmac
import json
from collections.abc import Iterator
from dataclasses import dataclass
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError, Notification, StoredEvent

from application.audit.records import AuditRecords
from application.clock import Clock
from application.complaints import ComplaintService
from application.countersign import FIELD, countersign
from domain.checkpoint import Checkpoint, LogCheckpoints
from domain.seal import GENESIS, seal_of

_PAGE = 1000


@dataclass(frozen=True, slots=True)
class Break:
    """The first place where the stored history is not what was recorded."""

    problem: str
    complaint_id: UUID | None = None
    version: int | None = None
    position: int | None = None

    def __str__(self) -> str:
        where = []
        if self.complaint_id is not None:
            where.append(f"complaint {self.complaint_id}")
        if self.version is not None:
            where.append(f"version {self.version}")
        if self.position is not None:
            where.append(f"position {self.position}")
        return f"{', '.join(where)}: {self.problem}" if where else self.problem


@dataclass(frozen=True, slots=True)
class Verification:
    complaints: int
    events: int
    checkpoints: int
    first_break: Break | None

    @property
    def intact(self) -> bool:
        return self.first_break is None


def _digest(key: bytes, notifications: list[Notification]) -> str:
    mac = hmac.new(key, digestmod=hashlib.sha256)
    for n in notifications:
        state = hashlib.sha256(n.state).hexdigest()
        mac.update(f"{n.id}|{n.originator_id}|{n.originator_version}|{n.topic}|{state}\n".encode())
    return mac.hexdigest()


class TamperEvidence:
    def __init__(
        self,
        complaints: ComplaintService,
        records: AuditRecords,
        clock: Clock,
        *,
        key: bytes,
        checkpoint_size: int = 1000,
    ) -> None:
        self.complaints = complaints
        self.records = records
        self.clock = clock
        self.key = key
        self.checkpoint_size = checkpoint_size
        self._log_id = LogCheckpoints.create_id(complaints.name)

    def seal(self) -> list[Checkpoint]:
        """Seals everything recorded since the last checkpoint, in ranges of checkpoint_size."""
        log = self._checkpoints()
        sealed: list[Checkpoint] = []
        while True:
            batch = list(self._notifications(log.last_sealed + 1, limit=self.checkpoint_size))
            if not batch:
                break
            log.seal(
                first=batch[0].id,
                last=batch[-1].id,
                events=len(batch),
                digest=_digest(self.key, batch),
                at=self.clock.now(),
            )
            sealed.append(log.checkpoints[-1])
        if sealed:
            try:
                self.records.save(log)
            except IntegrityError:
                return []  # another sealer got there first; its checkpoints cover the same ranges
        return sealed

    def verify(self, complaint_id: UUID | None = None) -> Verification:
        """Checks one complaint's chain, or every chain and every checkpoint of the log."""
        if complaint_id is not None:
            return self._check_chains(iter(self.complaints.recorder.select_events(complaint_id)), checkpoints=[])
        return self._check_chains(self._notifications(1), checkpoints=self._checkpoints().checkpoints)

    def _check_chains(self, stored: Iterator[StoredEvent], checkpoints: list[Checkpoint]) -> Verification:
        last: dict[UUID, tuple[int, str]] = {}
        count = 0

        def found(problem: Break | None) -> Verification:
            return Verification(complaints=len(last), events=count, checkpoints=len(checkpoints), first_break=problem)

        for record in stored:
            count += 1
            position = record.id if isinstance(record, Notification) else None
            originator = record.originator_id
            version = record.originator_version
            previous_version, previous_seal = last.get(originator, (0, GENESIS))
            where = {"complaint_id": originator, "version": version, "position": position}
            if version <= previous_version:
                return found(Break(f"recorded after version {previous_version}: the order was changed", **where))
            if version > previous_version + 1:
                return found(Break(f"version {previous_version + 1} is missing: an event was deleted", **where))
            try:
                event = self.complaints.mapper.to_domain_event(record)
                fields = vars(event)
                expected = seal_of(previous_seal, originator, version, type(event).__name__, fields)
                signature = json.loads(record.state).get(FIELD)
            except Exception as error:  # an unreadable record is itself the finding
                return found(Break(f"the record cannot be read ({type(error).__name__})", **where))
            if fields.get("seal") != expected:
                return found(Break("its content does not match its seal: the event was edited or forged", **where))
            if signature is None or not hmac.compare_digest(signature, countersign(self.key, expected)):
                return found(
                    Break("its countersignature is wrong: the event was not recorded by this service", **where)
                )
            last[originator] = (version, expected)
        return found(self._check_checkpoints(checkpoints))

    def _check_checkpoints(self, checkpoints: list[Checkpoint]) -> Break | None:
        """A deletion, insertion or move between complaints shows only here."""
        for checkpoint in checkpoints:
            batch = list(self._notifications(checkpoint.first, stop=checkpoint.last))
            if len(batch) != checkpoint.events or _digest(self.key, batch) != checkpoint.digest:
                change = (
                    "events were deleted"
                    if len(batch) < checkpoint.events
                    else "events were inserted"
                    if len(batch) > checkpoint.events
                    else "events were edited, moved or reordered"
                )
                return Break(
                    f"the log between positions {checkpoint.first} and {checkpoint.last} differs from "
                    f"its checkpoint ({checkpoint.events} events sealed, {len(batch)} now): {change}",
                    position=checkpoint.first,
                )
        return None

    def _notifications(
        self, start: int, *, limit: int | None = None, stop: int | None = None
    ) -> Iterator[Notification]:
        remaining = limit
        while remaining is None or remaining > 0:
            page = self.complaints.recorder.select_notifications(
                start, _PAGE if remaining is None else min(_PAGE, remaining), stop=stop
            )
            if not page:
                return
            yield from page
            if remaining is not None:
                remaining -= len(page)
            start = page[-1].id + 1

    def _checkpoints(self) -> LogCheckpoints:
        try:
            return self.records.repository.get(self._log_id)
        except AggregateNotFoundError:
            return LogCheckpoints.start(self.complaints.name, at=self.clock.now())
