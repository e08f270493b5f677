"""The complaint service built from settings: all that a registration child builds, and what
the rest of a process's services are built around (interfaces/services.py)."""

import hashlib
import hmac

from adapters.citizen_keys import MemoryCitizenKeys, PostgresCitizenKeys, SQLiteCitizenKeys
from adapters.config import Settings
from adapters.schema_lock import schema_creation
from application.clock import Clock
from application.complaints import ComplaintService
from application.personal_data import CitizenKeys, PersonalData


def complaint_service(settings: Settings, clock: Clock, audit_key: bytes) -> ComplaintService:
    """The complaint service alone, for a process that needs no more (a registration child)."""
    with schema_creation(settings):
        return build_complaint_service(settings, clock, audit_key, open_citizen_keys(settings, pepper=audit_key))


def build_complaint_service(
    settings: Settings, clock: Clock, audit_key: bytes, citizen_keys: CitizenKeys
) -> ComplaintService:
    """For a caller that already holds the schema's creation, and shares the citizen keys."""
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


def open_citizen_keys(settings: Settings, *, pepper: bytes) -> CitizenKeys:
    if settings.store == "postgres":
        return PostgresCitizenKeys(settings.postgres_conninfo(), settings.postgres_schema, pepper)
    if settings.store == "sqlite":
        return SQLiteCitizenKeys(settings.data_dir / "citizen_keys.sqlite3", pepper)
    return MemoryCitizenKeys(pepper)
