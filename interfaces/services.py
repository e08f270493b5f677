"""The applications with their stores and adapters, built from settings: what every process of
ours works with. Which other processes a process starts is wired where it starts (bootstrap.py
for an API worker, cli/ for the `mcu` commands); nothing here starts one."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from adapters.audit_anchor import FileHighWaterMark
from adapters.config import Settings
from adapters.event_positions import RecorderEventPositions
from adapters.open311 import load_catalogue
from adapters.passwords import Argon2Hasher
from adapters.schema_lock import schema_creation
from adapters.triage import build_triage, city_districts
from adapters.views.factory import open_views
from application.access import AccessService
from application.accounts import AccountService
from application.audit.history import ComplaintHistory
from application.audit.records import AuditRecords
from application.audit.tamper import TamperEvidence
from application.city import CityTerms
from application.clock import Clock, SystemClock
from application.complaints import ComplaintService
from application.countersign import KEY_ENV
from application.group_commit import GroupCommit, RegisterMany
from application.open311.records import Open311Records
from application.open311.service import Open311
from application.personal_data import CitizenKeys, PersonalData
from application.personal_data_access import PersonalDataAccess
from application.projections.readmodels import ReadModels
from application.triage import Triage
from interfaces.channels import Channels
from interfaces.complaint_service import build_complaint_service, open_citizen_keys


@dataclass
class Services:
    settings: Settings
    clock: Clock
    complaints: ComplaintService
    registrations: GroupCommit
    access: AccessService
    accounts: AccountService
    history: ComplaintHistory
    audit_records: AuditRecords
    tamper: TamperEvidence
    citizen_keys: CitizenKeys
    personal_data: PersonalDataAccess
    read_models: ReadModels
    channels: Channels
    open311: Open311
    # The categories (the service catalogue's) and districts a complaint is filed under.
    terms: CityTerms

    def close(self) -> None:
        self.registrations.close()
        self.channels.close()
        self.read_models.stop()
        self.read_models.views.close()
        self.complaints.close()
        self.access.close()
        self.accounts.close()
        self.audit_records.close()
        self.citizen_keys.close()
        self.open311.records.close()


def build_services(
    settings: Settings,
    *,
    clock: Clock | None = None,
    triage: Triage | None = None,
    register_many: RegisterMany | None = None,
    on_close: Callable[[], None] | None = None,
    on_batch: Callable[[int], None] | None = None,
) -> Services:
    """``register_many`` and ``on_close``: who commits the registrations' batches, when not
    this process's complaint service, and how it is stopped with the services; ``on_batch``
    is told each batch's size."""
    with schema_creation(settings):
        return _built(settings, clock or SystemClock(), triage, register_many, on_close, on_batch)


def _built(
    settings: Settings,
    clock: Clock,
    triage: Triage | None,
    register_many: RegisterMany | None,
    on_close: Callable[[], None] | None,
    on_batch: Callable[[int], None] | None,
) -> Services:
    audit_key = settings.audit_key_bytes()
    # Every application countersigns what it records with the audit key.
    env = {**settings.eventsourcing_env(), KEY_ENV: audit_key.hex()}
    citizen_keys = open_citizen_keys(settings, pepper=audit_key)
    complaints = build_complaint_service(settings, clock, audit_key, citizen_keys)
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
    accounts = AccountService(
        env=env, hasher=Argon2Hasher(), clock=clock, code_lifetime=timedelta(hours=settings.code_lifetime_hours)
    )
    access = AccessService(
        clock=clock, env=env, remember=timedelta(seconds=settings.token_cache_seconds), accounts=accounts.get
    )
    open311_records = Open311Records(env=env)
    catalogue = load_catalogue()
    return Services(
        settings=settings,
        clock=clock,
        complaints=complaints,
        registrations=GroupCommit(register_many or complaints.register_many, on_close=on_close, on_batch=on_batch),
        access=access,
        accounts=accounts,
        history=ComplaintHistory(complaints, RecorderEventPositions(complaints.recorder)),
        audit_records=audit_records,
        tamper=TamperEvidence(
            complaints,
            audit_records,
            clock,
            key=audit_key,
            checkpoint_size=settings.audit_checkpoint_size,
            logs=[access, accounts, open311_records, channels.records, channels.replies],
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
            catalogue=catalogue,
            intake=lambda: channels.intake,
        ),
        terms=CityTerms(categories=tuple(s.code for s in catalogue.services), districts=city_districts()),
    )
