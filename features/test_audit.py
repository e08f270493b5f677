"""Steps for the auditors' specification, on the embedded SQLite store an intruder could edit."""

import json
from collections.abc import Iterator
from uuid import UUID

import pytest
from pytest_bdd import parsers, scenarios, step, then

from adapters.clock import ManualClock
from adapters.config import Settings
from application.audit.archive import export_events
from application.audit.records import AuditRecords
from application.commands import Assign, Register, Respond
from application.views import ComplaintView
from features.conftest import moscow_time
from interfaces.bootstrap import Services, bootstrap
from tests.support.stored_rows import StoredRows

OPERATOR = "operator:Анна"

scenarios("audit.feature")


class Audit:
    def __init__(self) -> None:
        self.complaint: UUID | None = None
        self.author: tuple[str, str] | None = None
        self.seen: ComplaintView | None = None
        self.token: str | None = None

    @property
    def id(self) -> UUID:
        assert self.complaint is not None
        return self.complaint


@pytest.fixture
def audit() -> Audit:
    return Audit()


@pytest.fixture
def centre(sqlite_settings: Settings, clock: ManualClock) -> Iterator[Services]:
    services = bootstrap(sqlite_settings, clock=clock)
    yield services
    services.close()


@step(
    parsers.parse(
        'житель "{ref}" по имени "{name}" с телефоном "{phone}" пишет в канале "{channel}" '
        'сообщение "{source}" с текстом "{text}"'
    )
)
def citizen_writes(
    audit: Audit,
    centre: Services,
    clock: ManualClock,
    ref: str,
    name: str,
    phone: str,
    channel: str,
    source: str,
    text: str,
) -> None:
    audit.complaint = centre.complaints.register(
        Register(
            channel=channel,
            source_ref=source,
            author_ref=ref,
            author_name=name,
            author_phone=phone,
            text=text,
            received_at=clock.now(),
            actor=f"intake:{channel}",
        )
    ).complaint_id
    audit.author = (name, phone)


@step(parsers.parse('в "{hhmm}" оператор назначает обращение организации "{organisation}"'))
@step(parsers.parse('в "{hhmm}" оператор переназначает обращение организации "{organisation}"'))
def operator_assigns_at(audit: Audit, centre: Services, clock: ManualClock, hhmm: str, organisation: str) -> None:
    clock.set(moscow_time(clock, hhmm))
    centre.complaints.handle(Assign(audit.id, organisation=organisation, actor=OPERATOR))


@step(parsers.parse('в "{hhmm}" оператор публикует ответ "{text}"'))
def operator_responds_at(audit: Audit, centre: Services, clock: ManualClock, hhmm: str, text: str) -> None:
    clock.set(moscow_time(clock, hhmm))
    centre.complaints.handle(Respond(audit.id, text=text, actor=OPERATOR))


@step(parsers.parse('аудитор смотрит обращение по состоянию на "{hhmm}" по Москве'))
def auditor_looks_back(audit: Audit, centre: Services, clock: ManualClock, hhmm: str) -> None:
    audit.seen = centre.history.as_of(audit.id, moscow_time(clock, hhmm))


@then(parsers.parse('обращение было в статусе "{status}" у организации "{organisation}"'))
def it_was(audit: Audit, status: str, organisation: str) -> None:
    assert audit.seen is not None
    assert (audit.seen.status, audit.seen.organisation) == (status, organisation)


@then(parsers.parse('часы реакции тогда показывали "{state}"'))
def clock_read_then(audit: Audit, state: str) -> None:
    assert audit.seen is not None and audit.seen.reaction.state == state


@then(parsers.parse('в истории переназначение записано за "{actor}" с изменением организации "{before}" → "{after}"'))
def reassignment_recorded(audit: Audit, centre: Services, actor: str, before: str, after: str) -> None:
    (entry,) = [e for e in centre.history.entries(audit.id) if e.type == "Reassigned"]
    assert entry.actor == actor and entry.changes["organisation"] == (before, after)


@step("журнал опечатан контрольной точкой")
def log_sealed(centre: Services) -> None:
    assert centre.tamper.seal()


@step(parsers.parse('кто-то меняет в хранилище организацию в событии версии {version:d} на "{organisation}"'))
def someone_edits(audit: Audit, sqlite_settings: Settings, version: int, organisation: str) -> None:
    rows = StoredRows(sqlite_settings)
    state = rows.state(audit.id, version)
    state["organisation"] = organisation
    rows.put_state(audit.id, version, state)


@step(parsers.parse("кто-то удаляет из хранилища событие версии {version:d}"))
def someone_deletes(audit: Audit, sqlite_settings: Settings, version: int) -> None:
    StoredRows(sqlite_settings).delete(audit.id, version)


@step(parsers.parse("кто-то удаляет из хранилища все контрольные точки и событие версии {version:d}"))
def someone_deletes_checkpoints(audit: Audit, sqlite_settings: Settings, version: int) -> None:
    StoredRows(sqlite_settings, log=AuditRecords.name).delete_all()
    StoredRows(sqlite_settings).delete(audit.id, version)


@step(parsers.parse('у оператора "{name}" есть токен доступа'))
def operator_has_token(audit: Audit, centre: Services, name: str) -> None:
    audit.token = centre.access.issue_token(role="operator", name=name)


@step(parsers.parse('кто-то меняет в хранилище роль этого токена на "{role}"'))
def someone_promotes(audit: Audit, centre: Services, sqlite_settings: Settings, role: str) -> None:
    assert audit.token is not None
    principal = centre.access.authenticate(audit.token)
    assert principal is not None
    tokens = StoredRows(sqlite_settings, log="Access")
    state = tokens.state(principal.token_id, 1)
    state["role"] = role
    tokens.put_state(principal.token_id, 1, state)


@then(parsers.parse('проверка журнала находит нарушение в журнале "{log}"'))
def break_found_in_log(centre: Services, log: str) -> None:
    found = centre.tamper.verify().first_break
    assert found is not None and found.log == log


@then(parsers.parse("проверка журнала находит нарушение в версии {version:d} этого обращения"))
def break_found(audit: Audit, centre: Services, version: int) -> None:
    found = centre.tamper.verify().first_break
    assert found is not None and (found.complaint_id, found.version) == (audit.id, version)


@then(parsers.parse('проверка называет причину "{words}"'))
def break_named(centre: Services, words: str) -> None:
    found = centre.tamper.verify().first_break
    assert found is not None and words in found.problem


@step(parsers.parse('руководитель центра удаляет персональные данные жителя "{ref}"'))
def head_forgets(centre: Services, ref: str) -> None:
    assert centre.personal_data.forget(ref)


@then("оператор видит, что персональные данные забыты")
def operator_sees_forgotten(audit: Audit, centre: Services) -> None:
    assert centre.personal_data.reveal(audit.id, reader=OPERATOR) is None


@then("в выгрузке журнала нет ни имени, ни телефона жителя")
def export_is_clean(audit: Audit, centre: Services) -> None:
    exported = json.dumps(list(export_events(centre.complaints)), ensure_ascii=False)
    assert audit.author is not None
    assert all(secret not in exported for secret in audit.author)


@then("проверка журнала не находит нарушений")
def log_intact(centre: Services) -> None:
    assert centre.tamper.verify().intact


@then(parsers.parse('обращение по-прежнему учтено в статистике: {count:d} обращение от канала "{channel}"'))
def still_counted(centre: Services, count: int, channel: str) -> None:
    centre.read_models.start()
    by_channel = {share.key: share.count for share in centre.read_models.volume(None, None).value.by_channel}
    assert by_channel == {channel: count}
