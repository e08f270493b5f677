"""Many registrations in one transaction: the same rules as one, and one bad item spoils nothing."""

import json
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from adapters.clock import ManualClock
from adapters.config import Settings
from application.commands import Register
from application.complaints import Registration
from application.group_commit import GroupCommit
from domain.errors import InvalidComplaint
from interfaces.bootstrap import bootstrap
from interfaces.cli import main


def _command(clock: ManualClock, n: int, **overrides: object) -> Register:
    fields: dict[str, object] = dict(
        channel="gosuslugi",
        source_ref=f"POS-{n}",
        author_ref=f"esia:{n % 3}",
        text=f"Не работает лифт, Королёва {n}",
        received_at=clock.now(),
        actor="operator:import",
    )
    fields.update(overrides)
    return Register(**fields)  # type: ignore[arg-type]


def test_a_batch_with_a_bad_and_a_repeated_registration_commits_the_others(
    durable_settings: Settings, clock: ManualClock
) -> None:
    services = bootstrap(durable_settings, clock=clock)
    try:
        earlier = services.complaints.register(_command(clock, 0))
        outcomes = services.complaints.register_many(
            [
                _command(clock, 1),
                _command(clock, 2, text="   "),
                _command(clock, 0),
                _command(clock, 3),
                _command(clock, 3),
                _command(clock, 3, text="другой пост под той же ссылкой"),
                _command(clock, 0, text="и ещё один"),
            ]
        )
        assert [type(o).__name__ for o in outcomes] == [
            "Registration",
            "InvalidComplaint",
            "Registration",
            "Registration",
            "Registration",
            "SourceTaken",
            "SourceTaken",
        ]
        created = [o.created for o in outcomes if isinstance(o, Registration)]
        assert created == [True, False, True, False]
        assert outcomes[5].complaint_id == outcomes[3].complaint_id
        assert outcomes[6].complaint_id == earlier.complaint_id
        assert outcomes[2].complaint_id == earlier.complaint_id
        assert isinstance(outcomes[1], InvalidComplaint)
        # PostgreSQL's positions skip what a rolled-back attempt took; count what is there.
        assert len(services.complaints.recorder.select_notifications(1, 100)) == 3
        assert services.complaints.get(outcomes[3].complaint_id).text == "Не работает лифт, Королёва 3"
    finally:
        services.close()


def test_group_commit_answers_each_caller_with_its_own_outcome(services, clock: ManualClock) -> None:
    group = GroupCommit(services.complaints.register_many, max_batch=4)
    try:
        futures = [group.submit(_command(clock, n)) for n in range(10)]
        futures.append(group.submit(_command(clock, 99, received_at=clock.now() + timedelta(days=1))))
        results = [f.exception() or f.result() for f in futures]
    finally:
        group.close()
    assert all(isinstance(r, Registration) and r.created and r.view is not None for r in results[:10])
    assert isinstance(results[10], InvalidComplaint)
    assert services.complaints.recorder.max_notification_id() == 10


def test_mcu_import_reports_refused_lines_and_is_idempotent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clock: ManualClock
) -> None:
    monkeypatch.setenv("MCU_STORE", "sqlite")
    monkeypatch.setenv("MCU_DATA_DIR", str(tmp_path / "var"))
    lines = [
        json.dumps(
            {
                "channel": "gosuslugi",
                "source_ref": f"POS-{n}",
                "author_ref": f"esia:{n}",
                "text": "Прошу убрать снег во дворе",
                "received_at": "2026-11-20T10:00:00+03:00",
            },
            ensure_ascii=False,
        )
        for n in range(25)
    ]
    lines.insert(7, '{"channel": "fax"}')
    lines.insert(12, "")
    backlog = tmp_path / "backlog.jsonl"
    backlog.write_text("\n".join(lines) + "\n", encoding="utf-8")

    first = CliRunner().invoke(main, ["import", str(backlog), "--batch", "10"])
    assert first.exit_code == 1
    assert "line 8:" in first.stderr and "25 registered, 0 already registered, 1 refused" in first.stdout
    again = CliRunner().invoke(main, ["import", str(backlog)])
    assert "0 registered, 25 already registered, 1 refused" in again.stdout
    services = bootstrap(Settings(store="sqlite", data_dir=tmp_path / "var"), clock=clock)
    try:
        assert services.complaints.recorder.max_notification_id() == 25
    finally:
        services.close()
