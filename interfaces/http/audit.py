"""The auditors' check of the log over HTTP: the same verification as `mcu audit verify`."""

from typing import Annotated
from uuid import UUID

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter
from msgspec import Struct

from application.audit.tamper import TamperEvidence


class LogBreak(Struct, frozen=True):
    problem: str
    complaint_id: UUID | None
    version: int | None
    position: int | None
    log: str | None
    aggregate_id: UUID | None


class CheckedLog(Struct, frozen=True):
    """What was checked of one application's log."""

    name: str
    events: int
    aggregates: int
    checkpoints: int
    sealed_up_to: int
    unsigned: int


class LogVerification(Struct, frozen=True):
    intact: bool
    complaints: int
    events: int
    checkpoints: int
    first_break: LogBreak | None
    logs: list[CheckedLog]
    anchors: int


class AuditController(Controller):
    path = "/api/v1/audit"
    tags = ["audit"]

    @get(
        "/verify",
        operation_id="verifyLog",
        sync_to_thread=True,
        summary="Recompute every log's hash chains, countersignatures and checkpoints; report the first break",
    )
    def verify(
        self,
        tamper: NamedDependency[TamperEvidence],
        complaint: Annotated[
            UUID | None, QueryParameter(required=False, description="check only this complaint's chain")
        ] = None,
    ) -> LogVerification:
        result = tamper.verify(complaint)
        found = result.first_break
        return LogVerification(
            intact=result.intact,
            complaints=result.complaints,
            events=result.events,
            checkpoints=result.checkpoints,
            first_break=None
            if found is None
            else LogBreak(
                problem=found.problem,
                complaint_id=found.complaint_id,
                version=found.version,
                position=found.position,
                log=found.log,
                aggregate_id=found.aggregate_id,
            ),
            logs=[
                CheckedLog(log.name, log.events, log.aggregates, log.checkpoints, log.sealed_up_to, log.unsigned)
                for log in result.logs
            ],
            anchors=result.anchors,
        )
