"""Tampering with the stored rows directly, on SQLite and PostgreSQL: every kind is caught."""

from collections.abc import Iterator
from datetime import timedelta
from typing import Any
from uuid import UUID

import pytest
from click.testing import CliRunner
from litestar.testing import TestClient

from adapters.clock import ManualClock
from adapters.config import Settings
from application.audit.anchor import Anchor
from application.audit.records import AuditRecords
from application.audit.tamper import SealRefused, checkpoint_digest
from application.commands import Assign, Register, Resolve, Respond
from application.countersign import countersign
from domain.access import ApiToken
from domain.checkpoint import LogCheckpoints
from domain.disclosure import PersonalDataReads
from domain.screening import ScreenedPost
from domain.seal import seal_of
from domain.service_request import ServiceRequest
from interfaces.bootstrap import Services, bootstrap
from interfaces.cli import main
from interfaces.http.app import create_app
from tests.support.stored_rows import StoredRows


@pytest.fixture
def store(durable_settings: Settings, clock: ManualClock) -> Iterator[tuple[Services, StoredRows, list[UUID]]]:
    services = bootstrap(durable_settings, clock=clock)
    ids = []
    for n in range(3):
        complaint_id = services.complaints.register(
            Register(
                channel="vk",
                source_ref=f"wall-1_{n}",
                author_ref=f"vk:{n}",
                text="Не горит фонарь на Беляева 22",
                received_at=clock.now() - timedelta(minutes=5),
                actor="intake:vk",
            )
        ).complaint_id
        clock.advance(timedelta(minutes=10))
        services.complaints.handle(Assign(complaint_id, organisation="ДГХ", actor="operator:a"))
        services.complaints.handle(Respond(complaint_id, text="Передано в ДГХ", actor="operator:a"))
        ids.append(complaint_id)
    yield services, StoredRows(durable_settings), ids
    services.close()


def _first_break(services: Services, complaint_id: UUID | None = None):
    result = services.tamper.verify(complaint_id)
    assert result.first_break is not None, "the tampering went unnoticed"
    return result.first_break


def test_an_untouched_log_verifies(store) -> None:
    services, _, ids = store
    assert services.tamper.seal()
    result = services.tamper.verify()
    assert result.intact and result.events == 9 and result.complaints == 3 and result.checkpoints >= 1
    assert services.tamper.verify(ids[0]).intact


def test_an_edited_payload_is_caught_at_its_version(store) -> None:
    services, rows, ids = store
    state = rows.state(ids[1], 2)
    state["organisation"] = "Никто"
    rows.put_state(ids[1], 2, state)
    found = _first_break(services)
    assert (found.complaint_id, found.version) == (ids[1], 2)
    assert "edited" in found.problem
    assert _first_break(services, ids[1]).version == 2


def test_a_deleted_event_is_caught(store) -> None:
    services, rows, ids = store
    rows.delete(ids[0], 2)
    found = _first_break(services)
    assert (found.complaint_id, found.version) == (ids[0], 3)
    assert "version 2 is missing" in found.problem


def test_a_deleted_last_event_is_caught_by_the_checkpoint(store) -> None:
    services, rows, ids = store
    services.tamper.seal()
    rows.delete(ids[2], 3)
    found = _first_break(services)
    assert "events were deleted" in found.problem


def test_a_swapped_order_within_a_complaint_is_caught(store) -> None:
    services, rows, ids = store
    second, third = rows.state(ids[0], 2), rows.state(ids[0], 3)
    rows.put_state(ids[0], 2, third)
    rows.put_state(ids[0], 3, second)
    found = _first_break(services)
    assert (found.complaint_id, found.version) == (ids[0], 2)


def test_events_swapped_between_complaints_are_caught_by_the_checkpoint(store) -> None:
    services, rows, ids = store
    services.tamper.seal()
    rows.swap_positions(rows.position(ids[0], 3), rows.position(ids[1], 1))
    found = _first_break(services)
    assert "differs from its checkpoint" in found.problem


@pytest.mark.parametrize("forger", ["naive", "knows the seal algorithm"])
def test_an_inserted_forged_event_is_caught(store, forger: str) -> None:
    services, rows, ids = store
    last = rows.state(ids[2], 3)
    forged: dict[str, Any] = {
        "timestamp": last["timestamp"],
        "text": "Устранено",
        "actor": "executor:x",
        "seal": "f" * 64,
    }
    if forger != "naive":
        view = services.complaints.get(ids[2])
        forged["seal"] = seal_of(
            last["seal"],
            ids[2],
            4,
            "Resolved",
            {"timestamp": view.updated_at, "text": "Устранено", "actor": "executor:x"},
        )
        forged["countersign"] = countersign(b"guessed key", forged["seal"])
    rows.insert(ids[2], 4, "domain.complaint:Complaint.Resolved", forged)
    found = _first_break(services)
    assert (found.complaint_id, found.version) == (ids[2], 4)
    assert ("edited or forged" if forger == "naive" else "countersignature") in found.problem


def test_auditors_get_the_same_report_over_http(store) -> None:
    services, rows, ids = store
    rows.delete(ids[0], 2)
    token = services.access.issue_token(role="auditor", name="КРУ")
    with TestClient(create_app(services)) as client:
        body = client.get("/api/v1/audit/verify", headers={"Authorization": f"Bearer {token}"}).json()
    assert body["intact"] is False
    assert body["first_break"]["complaint_id"] == str(ids[0]) and body["first_break"]["version"] == 3


def test_the_cli_exits_non_zero_naming_the_break(
    sqlite_settings: Settings, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    services = bootstrap(sqlite_settings, clock=clock)
    complaint_id = services.complaints.register(
        Register(
            channel="ok",
            source_ref="topic-1",
            author_ref="ok:1",
            text="Нет воды на Нансена 100",
            received_at=clock.now(),
            actor="intake:ok",
        )
    ).complaint_id
    services.complaints.handle(Assign(complaint_id, organisation="Водоканал", actor="operator:a"))
    services.close()
    monkeypatch.setenv("MCU_STORE", "sqlite")
    monkeypatch.setenv("MCU_DATA_DIR", str(sqlite_settings.data_dir))
    monkeypatch.setenv("MCU_AUDIT_KEY", sqlite_settings.audit_key.get_secret_value())
    assert CliRunner().invoke(main, ["audit", "verify"]).exit_code == 0
    StoredRows(sqlite_settings).delete(complaint_id, 1)
    result = CliRunner().invoke(main, ["audit", "verify", "--complaint", str(complaint_id)])
    assert result.exit_code == 1
    assert f"complaint {complaint_id}, version 2" in result.output and "version 1 is missing" in result.output


# Checkpoints and the anchors outside the store.


def _checkpoint_rows(settings: Settings) -> StoredRows:
    return StoredRows(settings, log=AuditRecords.name)


@pytest.mark.parametrize("cut", ["the whole checkpoint log", "the newest checkpoint"])
def test_deleting_checkpoints_is_caught_by_the_high_water_mark(store, durable_settings: Settings, cut: str) -> None:
    services, _, ids = store
    services.tamper.seal()
    services.complaints.handle(Resolve(ids[0], text="Фонарь заменён", actor="executor:b"))
    services.tamper.seal()
    checkpoints = _checkpoint_rows(durable_settings)
    log_id = LogCheckpoints.create_id(services.complaints.name)
    if cut == "the whole checkpoint log":
        checkpoints.delete_all()
    else:
        checkpoints.delete(log_id, checkpoints.versions(log_id)[-1])
    found = _first_break(services)
    # The whole log is missed only by the high-water mark; a single checkpoint also by the
    # audit log's own checkpoints.
    assert "deleted" in found.problem
    # Sealing again would cover the cut with fresh checkpoints: it refuses.
    with pytest.raises(SealRefused):
        services.tamper.seal()


def test_deleted_last_events_of_sealed_complaints_are_caught_with_their_checkpoint_gone(
    store, durable_settings: Settings
) -> None:
    services, rows, ids = store
    services.tamper.seal()
    rows.delete(ids[2], 3)
    checkpoints = _checkpoint_rows(durable_settings)
    log_id = LogCheckpoints.create_id(services.complaints.name)
    for version in checkpoints.versions(log_id):
        checkpoints.delete(log_id, version)
    assert "deleted" in _first_break(services).problem


def test_an_exported_anchor_catches_a_cut_when_the_high_water_mark_went_with_it(
    store, durable_settings: Settings
) -> None:
    services, _, _ = store
    services.tamper.seal()
    anchor = Anchor.from_json(services.tamper.anchor().to_json())  # kept on another machine
    _checkpoint_rows(durable_settings).delete_all()
    (durable_settings.data_dir / "audit.anchor").unlink()
    assert services.tamper.verify().intact, "without any anchor the cut cannot be seen"
    found = services.tamper.verify(anchors=[anchor]).first_break
    assert found is not None and "checkpoints were deleted" in found.problem


def test_a_rewritten_checkpoint_chain_is_caught(store, durable_settings: Settings) -> None:
    services, rows, ids = store
    services.tamper.seal()
    # The newest checkpoint and the event it covered go; then the log is sealed afresh.
    rows.delete(ids[2], 3)
    _checkpoint_rows(durable_settings).delete_all()
    (durable_settings.data_dir / "audit.anchor").rename(durable_settings.data_dir / "kept.anchor")
    services.tamper.seal()
    kept = Anchor.from_json((durable_settings.data_dir / "kept.anchor").read_text())
    found = services.tamper.verify(anchors=[kept]).first_break
    assert found is not None and "not the anchored one" in found.problem


def test_checkpoints_sealed_before_chaining_are_accepted_and_the_chain_starts_after_them(
    store, durable_settings: Settings
) -> None:
    services, rows, ids = store
    services.tamper.seal()
    # As an older version wrote them: unsigned, no audit log checkpoints, and the checkpoint not
    # linked to the one before, its digest over the range alone.
    checkpoints = _checkpoint_rows(durable_settings)
    own = LogCheckpoints.create_id(AuditRecords.name)
    for version in checkpoints.versions(own):
        checkpoints.delete(own, version)
    log_id = LogCheckpoints.create_id(services.complaints.name)
    created = checkpoints.state(log_id, 1)
    del created["countersign"]
    checkpoints.put_state(log_id, 1, created)
    state = checkpoints.state(log_id, 2)
    del state["previous"], state["class_version"], state["countersign"]
    batch = services.complaints.recorder.select_notifications(state["first"], 1000, stop=state["last"])
    state["digest"] = checkpoint_digest(services.tamper.key, batch, None)
    checkpoints.put_state(log_id, 2, state)
    (durable_settings.data_dir / "audit.anchor").unlink()
    services.complaints.handle(Resolve(ids[0], text="Фонарь заменён", actor="executor:b"))
    services.tamper.seal()
    result = services.tamper.verify()
    assert result.intact, result.first_break
    assert result.logs[0].checkpoints == 2
    audit_log = next(log for log in result.logs if log.name == AuditRecords.name)
    assert audit_log.unsigned == 2  # the legacy checkpoints' events, sealed by the checkpoints since


# Every application's log, not only the complaints'.


def _token_id(services: Services, token: str) -> UUID:
    principal = services.access.authenticate(token)
    assert principal is not None
    return principal.token_id


def test_a_token_given_the_supervisor_role_in_the_store_is_caught(store, durable_settings: Settings) -> None:
    services, _, _ = store
    token_id = _token_id(services, services.access.issue_token(role="operator", name="Анна"))
    tokens = StoredRows(durable_settings, log="Access")
    state = tokens.state(token_id, 1)
    state["role"] = "supervisor"
    tokens.put_state(token_id, 1, state)
    found = _first_break(services)
    assert (found.log, found.aggregate_id, found.version) == ("Access", token_id, 1)
    assert "countersignature is wrong" in found.problem


def test_a_deleted_revocation_is_caught(store, durable_settings: Settings) -> None:
    services, _, _ = store
    token = services.access.issue_token(role="operator", name="Анна")
    token_id = _token_id(services, token)
    services.access.revoke_token(token)
    services.tamper.seal()
    StoredRows(durable_settings, log="Access").delete(token_id, 2)
    found = _first_break(services)
    assert found.log == "Access" and "events were deleted" in found.problem


def test_a_token_forged_into_the_store_is_caught(store, durable_settings: Settings) -> None:
    services, _, _ = store
    genuine = _token_id(services, services.access.issue_token(role="operator", name="Анна"))
    tokens = StoredRows(durable_settings, log="Access")
    forged = ApiToken.create_id("f" * 64)
    state = tokens.state(genuine, 1)
    state.pop("countersign")
    state.update(token_hash="f" * 64, role="supervisor")
    tokens.insert(forged, 1, "domain.access:ApiToken.Issued", state)
    found = _first_break(services)
    assert (found.log, found.aggregate_id) == ("Access", forged) and "not countersigned" in found.problem


@pytest.mark.parametrize("log", ["Audit", "Open311", "Intake"])
def test_an_edit_in_any_applications_log_is_caught(store, durable_settings: Settings, clock: ManualClock, log: str):
    services, _, ids = store
    services.personal_data.reveal(ids[0], reader="operator:a")
    services.open311.records.save(
        ServiceRequest.submit(complaint_id=ids[1], at=clock.now(), lat=47.2221, long=39.7188, address_id="ФИАС-1")
    )
    services.channels.records.record_dropped(channel="vk", source_ref="wall-1_99", reason="spam")
    assert services.tamper.verify().intact
    aggregate = {
        "Audit": PersonalDataReads.create_id(ids[0]),
        "Open311": ids[1],
        "Intake": ScreenedPost.create_id("vk", "wall-1_99"),
    }[log]
    rows = StoredRows(durable_settings, log=log)
    version = rows.versions(aggregate)[-1]
    state = rows.state(aggregate, version)
    field = next(name for name in ("reader", "lat", "reason") if name in state)
    state[field] = {"reader": "auditor:никто", "lat": 47.0, "reason": "дубль"}[field]
    rows.put_state(aggregate, version, state)
    found = _first_break(services)
    assert (found.log, found.aggregate_id, found.version) == (log, aggregate, version)


def test_verify_lists_what_it_checked_in_every_log(store) -> None:
    services, _, _ = store
    services.access.issue_token(role="auditor", name="КРУ")
    services.tamper.seal()
    result = services.tamper.verify()
    assert result.intact and result.anchors == 1
    by_name = {log.name: log for log in result.logs}
    assert set(by_name) == {"Complaints", "Access", "Accounts", "Open311", "Intake", "Replies", "Audit"}
    assert by_name["Complaints"].events == 9 and by_name["Access"].events == 1
    assert by_name["Access"].checkpoints == 1 and by_name["Access"].sealed_up_to == 1


def test_the_cli_exports_an_anchor_and_verify_holds_the_store_to_it(
    sqlite_settings: Settings, clock: ManualClock, monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    monkeypatch.setenv("MCU_STORE", "sqlite")
    monkeypatch.setenv("MCU_DATA_DIR", str(sqlite_settings.data_dir))
    monkeypatch.setenv("MCU_AUDIT_KEY", sqlite_settings.audit_key.get_secret_value())
    services = bootstrap(sqlite_settings, clock=clock)
    services.access.issue_token(role="operator", name="Анна")
    services.close()
    cli = CliRunner()
    sealed = cli.invoke(main, ["audit", "seal"])
    assert sealed.exit_code == 0 and Anchor.from_json(sealed.stdout).logs["Access"].sealed_up_to == 1
    kept = tmp_path / "kept.anchor"
    assert cli.invoke(main, ["audit", "anchor", "--out", str(kept)]).exit_code == 0
    checked = cli.invoke(main, ["audit", "verify", "--anchor", str(kept)])
    assert checked.exit_code == 0 and "Access: 1 events of 1 aggregate(s)" in checked.output
    assert "held to 2 anchor(s)" in checked.output
    StoredRows(sqlite_settings, log=AuditRecords.name).delete_all()
    (sqlite_settings.data_dir / "audit.anchor").unlink()
    broken = cli.invoke(main, ["audit", "verify", "--anchor", str(kept)])
    assert broken.exit_code == 1 and "checkpoints were deleted" in broken.output


def test_an_unreadable_checkpoint_is_a_finding_not_a_crash(store, durable_settings: Settings) -> None:
    services, _, _ = store
    services.tamper.seal()
    checkpoints = _checkpoint_rows(durable_settings)
    log_id = LogCheckpoints.create_id(services.complaints.name)
    state = checkpoints.state(log_id, 2)
    del state["digest"]
    checkpoints.put_state(log_id, 2, state)
    found = _first_break(services)
    assert found.log == services.complaints.name and "cannot be read" in found.problem


def test_auditors_see_every_log_checked_over_http(store, durable_settings: Settings) -> None:
    services, _, _ = store
    token = services.access.issue_token(role="auditor", name="КРУ")
    services.tamper.seal()
    headers = {"Authorization": f"Bearer {token}"}
    with TestClient(create_app(services)) as client:
        body = client.get("/api/v1/audit/verify", headers=headers).json()
        assert body["intact"] is True and body["anchors"] == 1
        assert {log["name"]: log["events"] for log in body["logs"]}["Access"] == 1
        principal = services.access.authenticate(token)
        assert principal is not None
        StoredRows(durable_settings, log="Access").delete(principal.token_id, 1)
        # The auditor's own token is gone from the store, still trusted from memory (no clock moved).
        body = client.get("/api/v1/audit/verify", headers=headers).json()
    assert body["intact"] is False and body["first_break"]["log"] == "Access"


@pytest.mark.parametrize("stripped", ["the first token, issued before countersigning", "the second token"])
def test_unsigned_token_events_pass_only_before_the_first_countersigned_one(
    store, durable_settings: Settings, stripped: str
) -> None:
    services, _, _ = store
    first, second = (
        _token_id(services, services.access.issue_token(role="operator", name=name)) for name in ("Анна", "Борис")
    )
    tokens = StoredRows(durable_settings, log="Access")
    token_id = first if stripped.startswith("the first") else second
    state = tokens.state(token_id, 1)
    del state["countersign"]
    tokens.put_state(token_id, 1, state)
    result = services.tamper.verify()
    if token_id == first:
        assert result.intact and next(log for log in result.logs if log.name == "Access").unsigned == 1
    else:
        assert result.first_break is not None and "not countersigned" in result.first_break.problem


def test_an_idle_log_is_not_sealed_again(store) -> None:
    services, _, _ = store
    assert services.tamper.seal()
    services.tamper.seal()  # seals the audit log's checkpoints of the first run
    assert services.tamper.seal() == []
    assert services.tamper.verify().intact
