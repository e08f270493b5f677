"""Auditors replaying a complaint: as it stood at a moment or version, its history, export/import."""

import json
from datetime import timedelta
from uuid import UUID

import pytest
from click.testing import CliRunner
from litestar.testing import TestClient

from adapters.clock import ManualClock
from adapters.config import Settings
from application.audit.archive import ImportRefused, export_events, import_events
from application.commands import Assign, Register, Respond
from interfaces.bootstrap import Services, bootstrap
from interfaces.cli import main


def _reassigned_story(services: Services, clock: ManualClock) -> UUID:
    """Registered 09:00, assigned to ДГХ 09:30, reassigned to Водоканал 10:30, responded 11:30."""
    complaint_id = services.complaints.register(
        Register(
            channel="vk",
            source_ref="wall-1_42",
            author_ref="vk:42",
            text="Течёт вода из люка на Нансена 100",
            received_at=clock.now(),
            actor="intake:vk",
        )
    ).complaint_id
    clock.advance(timedelta(minutes=30))
    services.complaints.handle(Assign(complaint_id, organisation="ДГХ", actor="operator:a"))
    clock.advance(timedelta(hours=1))
    services.complaints.handle(Assign(complaint_id, organisation="Водоканал", actor="operator:b"))
    clock.advance(timedelta(hours=1))
    services.complaints.handle(Respond(complaint_id, text="Бригада выехала", actor="operator:b"))
    return complaint_id


def test_the_complaint_as_it_stood_before_the_reassignment(services: Services, clock: ManualClock) -> None:
    complaint_id = _reassigned_story(services, clock)
    start = clock.now() - timedelta(hours=2, minutes=30)
    before = services.history.as_of(complaint_id, start + timedelta(hours=1))
    assert (before.status, before.organisation, before.version) == ("assigned", "ДГХ", 2)
    assert before.reaction.state == "within_target" and before.reaction.running
    later = services.history.as_of(complaint_id, start + timedelta(hours=2, minutes=15))
    assert later.reaction.state == "past_target"
    assert services.history.at_version(complaint_id, 3).organisation == "Водоканал"


def test_history_names_actor_position_and_changes(services: Services, clock: ManualClock) -> None:
    complaint_id = _reassigned_story(services, clock)
    entries = services.history.entries(complaint_id)
    assert [(e.type, e.position, e.actor) for e in entries] == [
        ("Registered", 1, "intake:vk"),
        ("Assigned", 2, "operator:a"),
        ("Reassigned", 3, "operator:b"),
        ("Responded", 4, "operator:b"),
    ]
    assert entries[2].changes == {"organisation": ("ДГХ", "Водоканал")}
    assert entries[3].changes["status"] == ("assigned", "responded")


def test_time_travel_over_http(client: TestClient, services: Services, clock: ManualClock, auth) -> None:
    complaint_id = _reassigned_story(services, clock)
    headers = auth("auditor")
    url = f"/api/v1/complaints/{complaint_id}"
    moment = (clock.now() - timedelta(hours=1, minutes=30)).astimezone().isoformat()
    as_of = client.get(url, params={"as_of": moment}, headers=headers)
    assert as_of.status_code == 200 and as_of.json()["organisation"] == "ДГХ"
    assert client.get(url, params={"version": 3}, headers=headers).json()["organisation"] == "Водоканал"
    unencoded_plus = client.get(f"{url}?as_of={moment.replace('+', ' ')}", headers=headers)
    assert unencoded_plus.json()["organisation"] == "ДГХ"
    for params, status, fragment in [
        ({"version": 9}, 404, "versions 1 to 4"),
        ({"as_of": "2000-01-01T00:00:00+03:00"}, 404, "not yet registered"),
        ({"as_of": "2026-11-28T12:00:00"}, 400, "time zone"),
        ({"as_of": "yesterday"}, 400, "ISO 8601"),
        ({"as_of": moment, "version": 2}, 400, "not both"),
    ]:
        response = client.get(url, params=params, headers=headers)
        assert response.status_code == status and fragment in response.json()["detail"], response.text
    history = client.get(f"{url}/history", headers=headers).json()
    assert history[2]["changes"] == {"organisation": ["ДГХ", "Водоканал"]}
    assert history[2]["position"] == 3 and len(history[2]["seal"]) == 64


def test_export_then_import_into_an_empty_store_reproduces_every_state(
    durable_settings: Settings, sqlite_settings: Settings, clock: ManualClock, tmp_path
) -> None:
    source = bootstrap(durable_settings, clock=clock)
    ids = [_reassigned_story(source, clock)]
    ids.append(
        source.complaints.register(
            Register(
                channel="gosuslugi",
                source_ref="POS-1",
                author_ref="esia:1",
                text="Не работает лифт, Королёва 5",
                received_at=clock.now(),
                actor="operator:a",
            )
        ).complaint_id
    )
    exported = [json.dumps(record, ensure_ascii=False) for record in export_events(source.complaints)]
    states = {i: source.complaints.get(i) for i in ids}
    original_bytes = [n.state for n in source.complaints.recorder.select_notifications(1, 100)]
    source.close()

    target = bootstrap(
        Settings(store="sqlite", data_dir=tmp_path / "target", audit_key=durable_settings.audit_key), clock=clock
    )
    try:
        assert import_events(target.complaints, exported, key=target.tamper.key) == 5
        assert {i: target.complaints.get(i) for i in ids} == states
        assert [n.state for n in target.complaints.recorder.select_notifications(1, 100)] == original_bytes
        with pytest.raises(ImportRefused, match="empty store"):
            import_events(target.complaints, exported, key=target.tamper.key)
    finally:
        target.close()


def test_export_filters_by_time_and_import_refuses_garbage(services: Services, clock: ManualClock) -> None:
    _reassigned_story(services, clock)
    since = clock.now() - timedelta(hours=1, minutes=30)
    assert [r["originator_version"] for r in export_events(services.complaints, since=since)] == [3, 4]
    first = json.dumps(next(export_events(services.complaints)), ensure_ascii=False)
    empty = bootstrap(Settings(store="memory"), clock=clock)
    with pytest.raises(ImportRefused, match="line 2 is not an exported event"):
        import_events(empty.complaints, [first, "not json"], key=services.tamper.key)
    with pytest.raises(ImportRefused, match="countersigned under another audit key"):
        import_events(empty.complaints, [first], key=empty.tamper.key)
    assert empty.complaints.recorder.max_notification_id() is None
    empty.close()


def test_mcu_audit_export_and_import_round_trip(tmp_path, monkeypatch: pytest.MonkeyPatch, clock: ManualClock) -> None:
    monkeypatch.setenv("MCU_STORE", "sqlite")
    monkeypatch.setenv("MCU_AUDIT_KEY", "a shared key of the centre")
    monkeypatch.setenv("MCU_DATA_DIR", str(tmp_path / "a"))
    services = bootstrap(Settings(), clock=clock)
    complaint_id = _reassigned_story(services, clock)
    before = services.complaints.get(complaint_id)
    services.close()
    out = tmp_path / "log.jsonl"
    assert CliRunner().invoke(main, ["audit", "export", "--out", str(out)]).exit_code == 0
    monkeypatch.setenv("MCU_DATA_DIR", str(tmp_path / "b"))
    imported = CliRunner().invoke(main, ["audit", "import", str(out)])
    assert imported.exit_code == 0, imported.output
    assert CliRunner().invoke(main, ["audit", "verify"]).exit_code == 0
    services = bootstrap(Settings(), clock=clock)
    try:
        assert services.complaints.get(complaint_id) == before
    finally:
        services.close()
    shown = CliRunner().invoke(main, ["history", str(complaint_id), "--as-of", "2026-11-28T13:00:00+03:00"])
    assert shown.exit_code == 0
    assert "organisation: ДГХ → Водоканал" not in shown.output and "Assigned" in shown.output
