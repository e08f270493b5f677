"""Tamper evidence: recompute every complaint's hash chain, every event's countersignature in
every application's log, and every log's chained checkpoints, held to anchors kept outside
the store."""

import hashlib
import hmac
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import IntegrityError, Notification, StoredEvent

from application.audit.anchor import Anchor, AnchoredLog, HighWaterMark
from application.audit.records import AuditRecords
from application.clock import Clock
from application.complaints import ComplaintService
from application.countersign import FIELD, countersign, envelope_seal
from application.errors import ApplicationError
from domain.checkpoint import ORIGIN, Checkpoint, LogCheckpoints
from domain.seal import GENESIS, seal_of

_PAGE = 1000


class SealRefused(ApplicationError):
    """The store's checkpoints fall short of the high-water mark: sealing on would hide it."""


@dataclass(frozen=True, slots=True)
class Break:
    """The first place where the stored history is not what was recorded."""

    problem: str
    complaint_id: UUID | None = None
    version: int | None = None
    position: int | None = None
    # Where a break outside the complaints' log is: the application's log and the aggregate.
    log: str | None = None
    aggregate_id: UUID | None = None

    def __str__(self) -> str:
        where = []
        if self.log is not None:
            where.append(f"{self.log} log")
        if self.complaint_id is not None:
            where.append(f"complaint {self.complaint_id}")
        if self.aggregate_id is not None:
            where.append(f"aggregate {self.aggregate_id}")
        if self.version is not None:
            where.append(f"version {self.version}")
        if self.position is not None:
            where.append(f"position {self.position}")
        return f"{', '.join(where)}: {self.problem}" if where else self.problem


@dataclass(frozen=True, slots=True)
class LogReport:
    """What was checked of one application's log."""

    name: str
    events: int
    aggregates: int
    checkpoints: int = 0
    sealed_up_to: int = 0
    # Events recorded before this log's events were countersigned: they cannot be told from
    # forgeries by their signature, only by the checkpoints sealed over them since.
    unsigned: int = 0


@dataclass(frozen=True, slots=True)
class Verification:
    logs: tuple[LogReport, ...]
    first_break: Break | None
    # How many anchors (the high-water mark, a given anchor file) the checkpoints were held to.
    anchors: int = 0

    @property
    def intact(self) -> bool:
        return self.first_break is None

    @property
    def complaints(self) -> int:
        return self.logs[0].aggregates if self.logs else 0

    @property
    def events(self) -> int:
        return self.logs[0].events if self.logs else 0

    @property
    def checkpoints(self) -> int:
        return self.logs[0].checkpoints if self.logs else 0


def checkpoint_digest(key: bytes, notifications: list[Notification], previous: str | None) -> str:
    mac = hmac.new(key, digestmod=hashlib.sha256)
    if previous is not None:  # chained: this checkpoint covers the one before
        mac.update(f"previous|{previous}\n".encode())
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
        logs: Sequence[Application[UUID]] = (),
        high_water: HighWaterMark | None = None,
    ) -> None:
        self.complaints = complaints
        self.records = records
        self.clock = clock
        self.key = key
        self.checkpoint_size = checkpoint_size
        self.high_water = high_water
        # The audit records last: sealing the others writes their checkpoints into it.
        others = [log for log in logs if log.name not in (complaints.name, records.name)]
        self.logs: list[Application[UUID]] = [complaints, *others, records]

    # Sealing.

    def seal(self) -> list[Checkpoint]:
        """Seals what every log recorded since its last checkpoint, in ranges of checkpoint_size,
        and raises the high-water mark to the new checkpoints."""
        marked = self.high_water.read() if self.high_water is not None else None
        if marked is not None:
            short = self._short_of(marked)
            if short is not None:
                raise SealRefused(f"not sealing: {short}")
        sealed: list[Checkpoint] = []
        for app in self.logs:
            log = self._checkpoints(app.name)
            new: list[Checkpoint] = []
            while batch := list(self._notifications(app, log.last_sealed + 1, limit=self.checkpoint_size)):
                if all(n.originator_id == log.id for n in batch):
                    # Only the audit log's own last checkpoint is new, which the high-water mark
                    # pins already: sealing it would add a checkpoint on every run, idle or not.
                    break
                log.seal(
                    first=batch[0].id,
                    last=batch[-1].id,
                    events=len(batch),
                    digest=checkpoint_digest(self.key, batch, previous=log.last_digest),
                    at=self.clock.now(),
                )
                new.append(log.checkpoints[-1])
            if new:
                try:
                    self.records.save(log)
                except IntegrityError:
                    continue  # another sealer got there first; its checkpoints cover the same ranges
                sealed.extend(new)
        if self.high_water is not None:
            self.high_water.raise_to(self.anchor())
        return sealed

    def anchor(self) -> Anchor:
        """Where each log's checkpoints reach now, to keep off this machine."""
        logs = {}
        for app in self.logs:
            log = self._checkpoints(app.name)
            if log.checkpoints:
                logs[app.name] = AnchoredLog(log.last_sealed, log.last_digest)
        return Anchor(logs)

    # Verifying.

    def verify(self, complaint_id: UUID | None = None, *, anchors: Sequence[Anchor] = ()) -> Verification:
        """Checks one complaint's chain, or every log: its events, its checkpoints, and that
        these reach as far as the high-water mark and every given anchor."""
        if complaint_id is not None:
            report, found = self._check_chains(iter(self.complaints.recorder.select_events(complaint_id)))
            return Verification(logs=(report,), first_break=found)
        try:
            held_to = [*anchors, *([marked] if (marked := self._high_water()) else [])]
        except ValueError as error:
            return Verification(logs=(), first_break=Break(f"the high-water mark cannot be read: {error}"))
        reports: list[LogReport] = []
        for app in self.logs:
            report, found = (
                self._check_chains(self._notifications(app, 1))
                if app is self.complaints
                else self._check_countersigned(app)
            )
            try:
                checkpoints = self._checkpoints(app.name).checkpoints
            except Exception as error:  # an unreadable checkpoint is itself the finding
                problem = f"its checkpoints cannot be read ({type(error).__name__}): the audit log was edited"
                return Verification(logs=tuple(reports), first_break=Break(problem, log=app.name))
            report = LogReport(
                report.name,
                report.events,
                report.aggregates,
                checkpoints=len(checkpoints),
                sealed_up_to=checkpoints[-1].last if checkpoints else 0,
                unsigned=report.unsigned,
            )
            reports.append(report)
            found = found or self._check_checkpoints(app, checkpoints)
            if found is not None:
                return Verification(logs=tuple(reports), first_break=found, anchors=len(held_to))
        for anchor in held_to:
            short = self._short_of(anchor)
            if short is not None:
                return Verification(logs=tuple(reports), first_break=Break(short), anchors=len(held_to))
        return Verification(logs=tuple(reports), first_break=None, anchors=len(held_to))

    def _high_water(self) -> Anchor | None:
        return self.high_water.read() if self.high_water is not None else None

    def _short_of(self, anchor: Anchor) -> str | None:
        """What of the anchor the store's checkpoints no longer reach, if anything."""
        for name, mark in sorted(anchor.logs.items()):
            checkpoints = self._checkpoints(name).checkpoints
            reached = checkpoints[-1].last if checkpoints else 0
            there = [c for c in checkpoints if c.last == mark.sealed_up_to]
            if reached < mark.sealed_up_to:
                return (
                    f"the {name} log was sealed up to position {mark.sealed_up_to}, but its checkpoints "
                    f"now reach only {reached}: checkpoints were deleted"
                )
            if not there or not hmac.compare_digest(there[0].digest, mark.digest):
                return (
                    f"the {name} log's checkpoint up to position {mark.sealed_up_to} is not the anchored one: "
                    "checkpoints were rewritten"
                )
        return None

    def _check_chains(self, stored: Iterator[StoredEvent]) -> tuple[LogReport, Break | None]:
        last: dict[UUID, tuple[int, str]] = {}
        count = 0

        def found(problem: Break | None) -> tuple[LogReport, Break | None]:
            return LogReport(self.complaints.name, count, len(last)), problem

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
        return found(None)

    def _check_countersigned(self, app: Application[UUID]) -> tuple[LogReport, Break | None]:
        """An application without hash chains: each event's envelope countersigned, each
        aggregate's versions without a gap."""
        versions: dict[UUID, int] = {}
        count = unsigned = 0
        signed_since: int | None = None

        def found(problem: Break | None) -> tuple[LogReport, Break | None]:
            return LogReport(app.name, count, len(versions), unsigned=unsigned), problem

        for record in self._notifications(app, 1):
            count += 1
            originator, version = record.originator_id, record.originator_version
            where = {"log": app.name, "aggregate_id": originator, "version": version, "position": record.id}
            previous = versions.get(originator, 0)
            if version != previous + 1:
                problem = (
                    f"recorded after version {previous}: the order was changed"
                    if version <= previous
                    else f"version {previous + 1} is missing: an event was deleted"
                )
                return found(Break(problem, **where))
            versions[originator] = version
            try:
                fields = json.loads(record.state)
                signature = fields.pop(FIELD, None)
            except (ValueError, AttributeError) as error:
                return found(Break(f"the record cannot be read ({type(error).__name__})", **where))
            if signature is None:
                if signed_since is not None:
                    return found(Break("it is not countersigned: the event was not recorded by this service", **where))
                unsigned += 1
                continue
            signed_since = signed_since or record.id
            expected = countersign(self.key, envelope_seal(originator, version, record.topic, fields))
            if not isinstance(signature, str) or not hmac.compare_digest(signature, expected):
                problem = "its countersignature is wrong: the event was edited or not recorded by this service"
                return found(Break(problem, **where))
        return found(None)

    def _check_checkpoints(self, app: Application[UUID], checkpoints: list[Checkpoint]) -> Break | None:
        """A deletion, insertion or move between aggregates shows only here."""
        before: Checkpoint | None = None
        for checkpoint in checkpoints:
            if checkpoint.previous is not None or (before is not None and before.previous is not None):
                chained_onto = before.digest if before is not None else ORIGIN
                if checkpoint.previous != chained_onto:
                    return Break(
                        f"the checkpoint of positions {checkpoint.first} to {checkpoint.last} does not chain onto "
                        "the one before: a checkpoint was deleted or replaced",
                        position=checkpoint.first,
                        log=app.name,
                    )
            batch = list(self._notifications(app, checkpoint.first, stop=checkpoint.last))
            digest = checkpoint_digest(self.key, batch, checkpoint.previous)
            if len(batch) != checkpoint.events or digest != checkpoint.digest:
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
                    log=app.name,
                )
            before = checkpoint
        return None

    def _notifications(
        self, app: Application[UUID], start: int, *, limit: int | None = None, stop: int | None = None
    ) -> Iterator[Notification]:
        remaining = limit
        while remaining is None or remaining > 0:
            page = app.recorder.select_notifications(
                start, _PAGE if remaining is None else min(_PAGE, remaining), stop=stop
            )
            if not page:
                return
            yield from page
            if remaining is not None:
                remaining -= len(page)
            start = page[-1].id + 1

    def _checkpoints(self, log_name: str) -> LogCheckpoints:
        try:
            return self.records.repository.get(LogCheckpoints.create_id(log_name))
        except AggregateNotFoundError:
            return LogCheckpoints.start(log_name, at=self.clock.now())
