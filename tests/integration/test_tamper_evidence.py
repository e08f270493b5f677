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
from application.countersign import countersign
from domain.seal import seal_of
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
            channel="vk",
            source_ref=f"wall-1_{n}",
            author_ref=f"vk:{n}",
            text="Не горит фонарь на Беляева 22",
            received_at=clock.now() - timedelta(minutes=5),
            actor="intake:vk",
        ).complaint_id
        clock.advance(timedelta(minutes=10))
        services.complaints.assign(complaint_id, organisation="ДГХ", actor="operator:a")
        services.complaints.respond(complaint_id, text="Передано в ДГХ", actor="operator:a")
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
        channel="ok",
        source_ref="topic-1",
        author_ref="ok:1",
        text="Нет воды на Нансена 100",
        received_at=clock.now(),
        actor="intake:ok",
    ).complaint_id
    services.complaints.assign(complaint_id, organisation="Водоканал", actor="operator:a")
    services.close()
    monkeypatch.setenv("MCU_STORE", "sqlite")
    monkeypatch.setenv("MCU_DATA_DIR", str(sqlite_settings.data_dir))
    monkeypatch.setenv("MCU_AUDIT_KEY", sqlite_settings.audit_key.get_secret_value())
    assert CliRunner().invoke(main, ["audit", "verify"]).exit_code == 0
    StoredRows(sqlite_settings).delete(complaint_id, 1)
    result = CliRunner().invoke(main, ["audit", "verify", "--complaint", str(complaint_id)])
    assert result.exit_code == 1
    assert f"complaint {complaint_id}, version 2" in result.output and "version 1 is missing" in result.output
