"""The `mcu` command's administrative parts, through click's runner."""

import re
from datetime import timedelta
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from litestar.testing import TestClient

from adapters.clock import ManualClock
from adapters.config import Settings
from application.access import AccessService
from interfaces.bootstrap import bootstrap
from interfaces.cli import main
from interfaces.http.app import create_app
from tests.fixtures import START


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MCU_STORE", "sqlite")
    monkeypatch.setenv("MCU_DATA_DIR", str(tmp_path / "var"))
    return tmp_path / "var"


def test_every_command_is_found_under_the_name_it_is_listed_by() -> None:
    context = click.Context(main)
    listed = main.list_commands(context)
    assert [main.get_command(context, name).name for name in listed] == listed


def test_a_token_is_printed_once_and_only_its_hash_is_stored(data_dir: Path) -> None:
    opened = CliRunner().invoke(main, ["account", "add", "--login", "kru", "--name", "КРУ", "--role", "auditor"])
    assert opened.exit_code == 0, opened.output
    result = CliRunner().invoke(main, ["token", "issue", "--account", "kru", "--name", "КРУ"])
    assert result.exit_code == 0, result.output
    token = result.stdout.strip()
    assert token.startswith("mcu_")
    assert token.encode() not in (data_dir / "mcu.sqlite3").read_bytes()
    services = bootstrap(Settings(store="sqlite", data_dir=data_dir))
    try:
        principal = services.access.authenticate(token)
        assert principal is not None and principal.role.value == "auditor"
    finally:
        services.close()


def test_a_revoked_token_no_longer_authenticates(data_dir: Path) -> None:
    CliRunner().invoke(main, ["account", "add", "--login", "vk-bot", "--name", "Адаптер VK", "--role", "intake"])
    token = (
        CliRunner()
        .invoke(main, ["token", "issue", "--account", "vk-bot", "--name", "vk", "--channel", "vk"])
        .stdout.strip()
    )
    assert CliRunner().invoke(main, ["token", "revoke", token]).exit_code == 0
    services = bootstrap(Settings(store="sqlite", data_dir=data_dir))
    try:
        assert services.access.authenticate(token) is None
    finally:
        services.close()


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (["token", "issue", "--account", "x", "--role", "mayor", "--name", "x"], {}, "'mayor' is not one of"),
        (["token", "issue", "--account", "nobody", "--name", "x"], {}, "no account has the login 'nobody'"),
        (["account", "add", "--login", "a", "--name", "  ", "--role", "operator"], {}, "needs the person's name"),
        (["account", "add", "--login", "a", "--name", "А", "--role", "executor"], {}, "needs the organisation"),
        (["account", "deactivate", "nobody"], {}, "no account has the login 'nobody'"),
        (["serve"], {"MCU_PORT": "eighty"}, "invalid setting MCU_PORT"),
        (["serve"], {"MCU_STORE": "mysql"}, "invalid setting MCU_STORE"),
    ],
)
def test_bad_input_is_a_one_line_error(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], env: dict[str, str], message: str
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    result = CliRunner().invoke(main, args)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output


def test_a_worker_refuses_a_token_revoked_by_the_cli_once_its_memory_expires(data_dir: Path) -> None:
    clock = ManualClock(START)
    settings = Settings(store="sqlite", data_dir=data_dir)
    worker = AccessService(env=settings.eventsourcing_env(), clock=clock, remember=timedelta(seconds=2))
    token = worker.issue_token(role="operator", name="Иванова")
    assert worker.authenticate(token) is not None
    assert CliRunner().invoke(main, ["token", "revoke", token]).exit_code == 0
    assert worker.authenticate(token) is not None  # remembered for up to two seconds
    clock.advance(timedelta(seconds=2))
    assert worker.authenticate(token) is None
    worker.close()


def test_a_replay_that_fails_says_so_in_one_line_and_the_live_view_still_serves(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from adapters.views.sql import SQLView
    from application.demo import load_in_batches

    services = bootstrap(Settings(store="sqlite", data_dir=data_dir))
    last = load_in_batches(services.complaints, 30, start=START - timedelta(days=3), batch=30)
    services.read_models.projectors["complaint_list"].catch_up()
    services.close()

    def full_disk(self: SQLView) -> None:
        raise OSError("No space left on device")

    monkeypatch.setattr(SQLView, "end_rebuild", full_disk)
    result = CliRunner().invoke(main, ["replay", "--projection", "complaint_list"])
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines()[-1] == (
        f"Error: complaint_list: the rebuild stopped after event {last} (OSError); "
        "the live view still serves, and `mcu replay` resumes it"
    )
    assert "Traceback" not in result.output
    monkeypatch.undo()
    again = bootstrap(Settings(store="sqlite", data_dir=data_dir))
    try:
        projector = again.read_models.projectors["complaint_list"]
        assert projector.position() == last and projector.view.rebuilding()
    finally:
        again.close()


def test_a_second_demo_on_a_filled_store_is_refused_in_one_line(data_dir: Path) -> None:
    first = CliRunner().invoke(main, ["demo", "--months", "1", "--per-month", "20"])
    assert first.exit_code == 0, first.output
    second = CliRunner().invoke(main, ["demo", "--months", "1", "--per-month", "20"])
    assert second.exit_code == 1
    assert second.stderr.strip() == (
        "Error: the store already holds complaints; mcu demo fills an empty one: "
        "point MCU_DATA_DIR (or MCU_POSTGRES_DBNAME) at a new store"
    )


def test_a_missing_postgres_database_is_named_with_the_command_that_creates_it(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MCU_STORE", "postgres")
    monkeypatch.setenv("MCU_POSTGRES_DBNAME", "mcu_never_created")
    result = CliRunner().invoke(main, ["demo", "--months", "1", "--per-month", "1"])
    assert result.exit_code == 1
    said = result.stderr.strip()
    if "cannot be reached" in said:
        pytest.skip("no PostgreSQL server")
    assert said == (
        'Error: the PostgreSQL database "mcu_never_created" does not exist on 127.0.0.1:5432; '
        "create it with createdb -h 127.0.0.1 -p 5432 -U postgres mcu_never_created"
    )


def test_an_export_into_a_missing_folder_says_so_and_a_finished_one_counts(data_dir: Path, tmp_path: Path) -> None:
    CliRunner().invoke(main, ["demo", "--months", "1", "--per-month", "5"])
    missing = CliRunner().invoke(main, ["audit", "export", "--out", str(tmp_path / "nowhere" / "log.jsonl")])
    assert missing.exit_code == 1
    assert (
        missing.stderr.strip() == f"Error: cannot write {tmp_path / 'nowhere' / 'log.jsonl'}: No such file or directory"
    )
    out = tmp_path / "log.jsonl"
    done = CliRunner().invoke(main, ["audit", "export", "--out", str(out)])
    assert done.exit_code == 0, done.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert done.stderr.strip().splitlines()[-1] == f"exported {len(lines)} events to {out}"


def test_forgetting_a_citizen_asks_first(data_dir: Path) -> None:
    declined = CliRunner().invoke(main, ["citizen", "forget", "vk:id777"], input="n\n")
    assert declined.exit_code == 1
    assert "cannot be undone" in declined.stderr
    assert "forgotten" not in declined.stdout
    agreed = CliRunner().invoke(main, ["citizen", "forget", "vk:id777"], input="y\n")
    assert agreed.exit_code == 0
    assert agreed.stdout.strip() == "no personal data of this citizen was held"


def test_an_unexpected_error_is_one_line_naming_its_type_and_traceback_shows_where(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import interfaces.cli.citizens as citizens

    def broken() -> None:
        raise RuntimeError("a message that may quote vk:id777")

    monkeypatch.setattr(citizens, "open_services", broken)
    result = CliRunner().invoke(main, ["citizen", "forget", "--yes", "vk:id777"])
    assert result.exit_code == 1
    assert result.stderr.strip() == "Error: unexpected RuntimeError; run again as mcu --traceback ... to see where"
    shown = CliRunner().invoke(main, ["--traceback", "citizen", "forget", "--yes", "vk:id777"])
    assert isinstance(shown.exception, RuntimeError)


def test_accounts_and_their_tokens_are_listed_and_a_token_revoked_by_its_id(data_dir: Path) -> None:
    runner = CliRunner()
    added = runner.invoke(main, ["account", "add", "--login", "dgh1", "--name", "Иван", "--role", "executor"])
    assert added.exit_code != 0 and "needs the organisation" in added.output
    args = ["account", "add", "--login", "dgh1", "--name", "Иван", "--role", "executor", "--organisation", "ДГХ"]
    code = runner.invoke(main, args).stdout.strip()
    assert re.fullmatch(r"[0-9a-f]{4}(-[0-9a-f]{4}){4}", code)
    listed = runner.invoke(main, ["account", "list"]).stdout
    assert "dgh1" in listed and "ДГХ" in listed and "awaiting password" in listed
    token = runner.invoke(main, ["token", "issue", "--account", "dgh1", "--name", "АРМ ДГХ"]).stdout.strip()
    [row] = runner.invoke(main, ["token", "list"]).stdout.splitlines()
    token_id, state, role, owner = row.split()[:4]
    assert (state, role, owner) == ("active", "executor", "dgh1") and "never" in row
    with TestClient(create_app()) as client:  # serving from the same data folder
        assert client.get("/api/v1/complaints", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert "never" not in runner.invoke(main, ["token", "list"]).stdout
    assert runner.invoke(main, ["token", "revoke", token_id]).exit_code == 0
    assert runner.invoke(main, ["token", "list"]).stdout.split()[1] == "revoked"
    services = bootstrap(Settings(store="sqlite", data_dir=data_dir))
    try:
        assert services.access.authenticate(token) is None
    finally:
        services.close()
    assert runner.invoke(main, ["account", "deactivate", "dgh1"]).exit_code == 0
    assert "deactivated" in runner.invoke(main, ["account", "list"]).stdout


def test_revoking_an_unknown_token_says_so(data_dir: Path) -> None:
    unknown = CliRunner().invoke(main, ["token", "revoke", "mcu_not-a-token-of-ours"])
    assert unknown.exit_code == 1
    assert unknown.stderr.strip() == "Error: no token is the one given"
