"""The composition root: the one place that builds the application with its adapters."""

import hashlib
import hmac
from dataclasses import dataclass
from datetime import timedelta

from adapters.audit_anchor import FileHighWaterMark
from adapters.citizen_keys import (
    MemoryCitizenKeys,
    PostgresCitizenKeys,
    SQLiteCitizenKeys,
)
from adapters.config import Settings
from adapters.event_positions import RecorderEventPositions
from adapters.open311 import load_catalogue
from adapters.schema_lock import schema_creation
from adapters.triage import build_triage
from adapters.views.factory import open_views
from application.access import AccessService
from application.audit.history import ComplaintHistory
from application.audit.records import AuditRecords
from application.audit.tamper import TamperEvidence
from application.clock import Clock, SystemClock
from application.complaints import ComplaintService
from application.countersign import KEY_ENV
from application.group_commit import GroupCommit
from application.open311.records import Open311Records
from application.open311.service import Open311
from application.personal_data import CitizenKeys, PersonalData
from application.personal_data_access import PersonalDataAccess
from application.projections.readmodels import ReadModels
from application.triage import Triage
from interfaces.channels import Channels
from interfaces.registration_process import RegistrationProcess


@dataclass
class Services:
    settings: Settings
    clock: Clock
    complaints: ComplaintService
    registrations: GroupCommit
    access: AccessService
    history: ComplaintHistory
    audit_records: AuditRecords
    tamper: TamperEvidence
    citizen_keys: CitizenKeys
    personal_data: PersonalDataAccess
    read_models: ReadModels
    channels: Channels
    open311: Open311

    def close(self) -> None:
        self.registrations.close()
        self.channels.close()
        self.read_models.stop()
        self.read_models.views.close()
        self.complaints.close()
        self.access.close()
        self.audit_records.close()
        self.citizen_keys.close()
        self.open311.records.close()


def bootstrap(
    settings: Settings | None = None, *, clock: Clock | None = None, triage: Triage | None = None
) -> Services:
    settings = settings or Settings()
    with schema_creation(settings):
        return _built(settings, clock or SystemClock(), triage)


def _built(settings: Settings, clock: Clock, triage: Triage | None) -> Services:
    audit_key = settings.audit_key_bytes()
    # Every application countersigns what it records with the audit key.
    env = {**settings.eventsourcing_env(), KEY_ENV: audit_key.hex()}
    citizen_keys = _citizen_keys(settings, pepper=audit_key)
    complaints = _complaint_service(settings, clock, audit_key, citizen_keys)
    audit_records = AuditRecords(env=env)
    read_models = ReadModels(
        complaints,
        open_views(settings),
        clock,
        wait_seconds=settings.read_wait_seconds,
        batch_size=settings.projection_batch_size,
    )
    channels = Channels(
        settings,
        complaints=complaints,
        clock=clock,
        env=env,
        triage=(lambda: triage) if triage is not None else build_triage,
    )
    access = AccessService(clock=clock, env=env, remember=timedelta(seconds=settings.token_cache_seconds))
    open311_records = Open311Records(env=env)
    return Services(
        settings=settings,
        clock=clock,
        complaints=complaints,
        registrations=_group_commit(settings, clock, complaints),
        access=access,
        history=ComplaintHistory(complaints, RecorderEventPositions(complaints.recorder)),
        audit_records=audit_records,
        tamper=TamperEvidence(
            complaints,
            audit_records,
            clock,
            key=audit_key,
            checkpoint_size=settings.audit_checkpoint_size,
            logs=[access, open311_records, channels.records, channels.replies],
            # Outside the store, beside the audit key; a store kept in memory has nothing to outlive.
            high_water=None if settings.store == "memory" else FileHighWaterMark(settings.data_dir / "audit.anchor"),
        ),
        citizen_keys=citizen_keys,
        personal_data=PersonalDataAccess(complaints, PersonalData(citizen_keys), audit_records, clock),
        read_models=read_models,
        channels=channels,
        open311=Open311(
            complaints=complaints,
            records=open311_records,
            read_models=read_models,
            catalogue=load_catalogue(),
            intake=lambda: channels.intake,
        ),
    )


def complaint_service(settings: Settings, clock: Clock, audit_key: bytes) -> ComplaintService:
    """The complaint service alone, for a process that needs no more (a registration child)."""
    with schema_creation(settings):
        return _complaint_service(settings, clock, audit_key, _citizen_keys(settings, pepper=audit_key))


def _complaint_service(
    settings: Settings, clock: Clock, audit_key: bytes, citizen_keys: CitizenKeys
) -> ComplaintService:
    return ComplaintService(
        clock=clock,
        policy=settings.reaction_policy(),
        env=settings.eventsourcing_env(),
        countersign_key=audit_key,
        id_key=complaint_id_key(audit_key),
        personal_data=PersonalData(citizen_keys),
    )


def complaint_id_key(audit_key: bytes) -> bytes:
    """Derived from the audit key, the one secret an installation already keeps off the store:
    complaint ids then stay the same for as long as the log verifies."""
    return hmac.new(audit_key, b"mcu complaint ids", hashlib.sha256).digest()


def child_processes_can_share(settings: Settings, clock: Clock) -> bool:
    """A child process shares only a store on disk and the system's time: in memory, or on a
    clock of the caller's (specifications, tests), the work stays in this process."""
    return settings.store != "memory" and isinstance(clock, SystemClock)


def _group_commit(settings: Settings, clock: Clock, complaints: ComplaintService) -> GroupCommit:
    if settings.registration_process and child_processes_can_share(settings, clock):
        child = RegistrationProcess(settings)
        return GroupCommit(child.register_many, on_close=child.close)
    return GroupCommit(complaints.register_many)


def _citizen_keys(settings: Settings, *, pepper: bytes) -> CitizenKeys:
    if settings.store == "postgres":
        return PostgresCitizenKeys(settings.postgres_conninfo(), settings.postgres_schema, pepper)
    if settings.store == "sqlite":
        return SQLiteCitizenKeys(settings.data_dir / "citizen_keys.sqlite3", pepper)
    return MemoryCitizenKeys(pepper)
