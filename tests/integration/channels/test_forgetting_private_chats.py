"""152-ФЗ at the edge: in a Telegram private chat the chat id is the user's id. It is sealed
with the author, replies still reach the chat, and once the citizen is forgotten no stored
row, view, history, export or Open311 answer shows it, nor links their complaints together."""

import re
import sqlite3
from collections.abc import Callable, Iterator
from typing import Any

import psycopg
import pytest
from click.testing import CliRunner
from litestar.testing import TestClient
from psycopg import sql

from adapters.config import Settings
from adapters.telegram.webhook import SECRET_HEADER
from application.commands import Respond
from domain.delivery import DeliveryState
from interfaces.bootstrap import Services, bootstrap
from interfaces.cli import main
from tests.fakes.triage import ScriptedTriage
from tests.integration.channels.conftest import TG_SECRET, Networks, taken

# A resident writing to the bot directly: their private chat's id is their own user id.
RESIDENT = 5550001119
_SEALED_REFERENCE = re.compile(r"pd\d:([0-9a-f-]{32,36}):")


@pytest.fixture
def settings(networks: Networks, durable_settings: Settings) -> Settings:
    return networks.settings(**durable_settings.model_dump(exclude_unset=True), telegram_chats=[])


@pytest.fixture
def services(settings: Settings, clock, triage: ScriptedTriage) -> Iterator[Services]:
    built = bootstrap(settings, clock=clock, triage=triage)
    yield built
    built.close()


def private_message(networks: Networks, text: str, reply_to: dict[str, Any] | None = None) -> dict[str, Any]:
    update = networks.telegram.message(chat_id=RESIDENT, from_id=RESIDENT, text=text, reply_to=reply_to)
    update["message"]["chat"] = {"id": RESIDENT, "type": "private", "first_name": "Житель"}
    return update


def hook(client: TestClient, update: dict[str, Any]) -> None:
    assert client.post("/hooks/telegram", json=update, headers={SECRET_HEADER: TG_SECRET}).status_code == 200
    taken(client.app.state.services)


def complaint_id_of(services: Services, update: dict[str, Any]):
    return services.complaints.id_of("telegram", f"{RESIDENT}/{update['message']['message_id']}")


def stored_rows(settings: Settings) -> Iterator[tuple[str, tuple[Any, ...]]]:
    """Every row of every table the service keeps, as an intruder with the database reads it."""
    if settings.store == "sqlite":
        for path in settings.data_dir.glob("*.sqlite3"):
            with sqlite3.connect(path) as conn:
                tables = [name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
                for table in tables:
                    for row in conn.execute(f'SELECT * FROM "{table}"'):
                        yield table, row
        return
    with psycopg.connect(settings.postgres_conninfo(), autocommit=True) as conn:
        tables = conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s", (settings.postgres_schema,)
        ).fetchall()
        for (table,) in tables:
            query = sql.SQL("SELECT * FROM {}").format(sql.Identifier(settings.postgres_schema, table))
            for row in conn.execute(query):
                yield table, row


def contains(row: tuple[Any, ...], secret: str) -> bool:
    return any(
        secret.encode() in bytes(value) if isinstance(value, bytes | memoryview) else secret in str(value)
        for value in row
    )


def test_a_private_chat_is_answered_and_then_forgotten_everywhere(
    settings: Settings,
    services: Services,
    client: TestClient,
    networks: Networks,
    auth: Callable[[str], dict[str, str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    user_id = str(RESIDENT)
    first = private_message(networks, "Опять нет горячей воды!")
    hook(client, first)
    services.channels.reply_worker().step()
    # Before forgetting, the reply reaches the chat, as a reply to the resident's message.
    [asked] = networks.telegram.sent
    assert asked["chat_id"] == RESIDENT
    assert asked["reply_parameters"]["message_id"] == first["message"]["message_id"]
    # The resident answers the bot's message: found through our published reply.
    [delivery] = services.channels.replies.deliveries(DeliveryState.SENT)
    bot_ref = services.complaints.personal_data.open_ref(delivery.external_ref)
    bot_message = {"message_id": int(bot_ref.split("/")[1]), "date": 1, "chat": {"id": RESIDENT, "type": "private"}}
    hook(client, private_message(networks, "Беляева 22", reply_to={**bot_message, "text": asked["text"]}))
    one = services.complaints.get(complaint_id_of(services, first))
    assert (one.status, one.address) == ("assigned", "улица Беляева, 22")
    # The same update again (webhook retry, then polling) is the same complaint, unchanged.
    hook(client, first)
    services.channels.poller().poll_once(next(s for s in services.channels.sources if s.name == "telegram:updates"))
    assert services.complaints.get(one.id).version == one.version
    second = private_message(networks, "Мусор не вывозят, Мясникяна 12")
    hook(client, second)
    other = services.complaints.get(complaint_id_of(services, second))
    assert other.status == "assigned"
    assert user_id not in one.source_ref and user_id not in other.source_ref

    monkeypatch.setattr("interfaces.cli.common.load_settings", lambda: settings)
    assert CliRunner().invoke(main, ["citizen", "forget", "--yes", f"tg:{user_id}"]).stdout.strip() == "forgotten"

    # A reply due after forgetting has nowhere readable to go.
    services.complaints.handle(Respond(other.id, text="Вывезут завтра", actor="operator"))
    services.channels.reply_worker().step()
    assert len(networks.telegram.sent) == 1
    exported = CliRunner().invoke(main, ["audit", "export"])
    assert exported.exit_code == 0 and str(one.id) in exported.stdout
    operator = auth("operator")
    answers = [
        client.get(f"/api/v1/complaints/{complaint_id}{tail}", headers=operator).text
        for complaint_id in (one.id, other.id)
        for tail in ("", "/history", "?version=1")
    ]
    answers.append(client.get("/api/v1/complaints?limit=50", headers=operator).text)
    answers.append(client.get("/api/v1/deliveries", headers=auth("supervisor")).text)
    answers += [
        client.get(f"/open311/v2/requests.json?service_request_id={complaint_id}").text
        for complaint_id in (one.id, other.id)
    ]
    answers.append(client.get("/open311/v2/requests.json").text)
    assert all(user_id not in answer for answer in [exported.stdout, *answers])
    rows = list(stored_rows(settings))
    assert any(contains(row, str(one.id.hex)) or contains(row, str(one.id)) for _, row in rows)
    assert [table for table, row in rows if contains(row, user_id)] == []

    # Nothing recorded for one complaint names a reference that another of the citizen's names.
    def references(complaint_id) -> set[str]:
        lines = [line for line in exported.stdout.splitlines() if str(complaint_id) in line]
        return {match for line in lines for match in _SEALED_REFERENCE.findall(line)}

    assert references(one.id) and references(other.id)
    assert references(one.id).isdisjoint(references(other.id))
