"""A character no person types (NUL, U+FFFF, a lone surrogate) on every path a text comes in by:
refused or screened with a reason, and the queue keeps every complaint that comes after it."""

import json
from collections.abc import Iterator
from datetime import timedelta
from functools import partial
from pathlib import Path
from urllib.parse import quote
from uuid import uuid4

import pytest
from click.testing import CliRunner
from litestar.testing import TestClient

from adapters.clock import ManualClock
from adapters.config import Settings
from application.intake.flow import UNREADABLE_TEXT
from domain.complaint import Complaint
from domain.reaction import ReactionPolicy
from interfaces.bootstrap import Services, bootstrap
from interfaces.cli import main
from interfaces.http.app import create_app
from interfaces.services import build_services
from tests.fakes.triage import ScriptedTriage
from tests.integration.channels.conftest import CHAT, COMMUNITY, TG_SECRET, VK_SECRET, Networks, taken
from tests.support.open311 import FORM, ROOT

# A lone surrogate is not in the list: no network sends one, and a JSON body escaping one is
# refused as malformed before any path sees it (tests/integration/http).
POISON = ["\x00", "\uffff", "\x1b"]
GOOD = "Мусор не вывозят, Мясникяна 12"
_STORE_FIELDS = (
    "store",
    "data_dir",
    "audit_key",
    *(f"postgres_{p}" for p in ("host", "port", "dbname", "user", "password", "schema")),
)


@pytest.fixture
def services(durable_settings: Settings, networks: Networks, clock: ManualClock) -> Iterator[Services]:
    store = {name: getattr(durable_settings, name) for name in _STORE_FIELDS}
    built = bootstrap(networks.settings(**store), clock=clock, triage=ScriptedTriage())
    yield built
    built.close()


@pytest.fixture
def client(services: Services) -> Iterator[TestClient]:
    with TestClient(create_app(services)) as test_client:
        yield test_client


def _post_json(client: TestClient, path: str, body: dict, headers: dict[str, str] | None = None):
    # As a network sends it: JSON escapes (a lone surrogate cannot be encoded otherwise).
    return client.post(path, content=json.dumps(body), headers={"Content-Type": "application/json", **(headers or {})})


def _queue(client: TestClient, headers: dict[str, str]) -> list[str]:
    answer = client.get("/api/v1/complaints", headers=headers, params={"limit": 100})
    assert answer.status_code == 200, answer.text
    return [item["summary"] for item in answer.json()["items"]]


def _screened(services: Services, channel: str, clock: ManualClock) -> dict[str, int]:
    day = clock.now().date()
    counts = services.channels.records.screening(channels=[channel], first=day - timedelta(days=1), last=day)
    return {reason: n for count in counts for reason, n in count.dropped.items()}


@pytest.mark.parametrize("poison", POISON, ids=["nul", "noncharacter", "escape"])
def test_every_path_refuses_or_screens_it_and_the_queue_keeps_what_follows(
    client: TestClient, services: Services, networks: Networks, clock: ManualClock, poison: str
) -> None:
    operator = {"Authorization": f"Bearer {services.access.issue_token(role='operator', name='Анна')}"}
    text = f"Мусор{poison} не вывозят, Мясникяна 12"

    api = _post_json(
        client,
        "/api/v1/complaints",
        {
            "channel": "web",
            "source_ref": "web-1",
            "author_ref": "web:1",
            "text": text,
            "received_at": (clock.now() - timedelta(minutes=5)).isoformat(),
        },
        operator,
    )
    assert api.status_code in (400, 422) and api.headers["content-type"] == "application/problem+json"

    partner_key = services.access.issue_token(role="open311", name="city app")
    open311 = client.post(
        f"{ROOT}/requests.json",
        content=f"api_key={partner_key}&service_code=waste&address_string=Мясникяна 12"
        f"&description={quote(text, errors='surrogatepass')}",
        headers=FORM,
    )
    assert open311.status_code == 400, open311.text

    vk_post = networks.vk.add_post(owner_id=-COMMUNITY, from_id=3105, text=text)
    vk = _post_json(client, "/hooks/vk", networks.vk.callback("wall_post_new", vk_post, secret=VK_SECRET))
    assert (vk.status_code, vk.text) == (200, "ok")
    update = networks.telegram.message(chat_id=CHAT, from_id=42, text=text)
    telegram = _post_json(client, "/hooks/telegram", update, {"X-Telegram-Bot-Api-Secret-Token": TG_SECRET})
    assert telegram.status_code == 200
    networks.vk.add_post(owner_id=-COMMUNITY, from_id=3106, text=text)
    wall = next(s for s in services.channels.sources if s.name == f"vk:wall:{COMMUNITY}")
    services.channels.poller().poll_once(wall)
    taken(services)

    assert _screened(services, "vk", clock) == {UNREADABLE_TEXT: 2}
    assert _screened(services, "telegram", clock) == {UNREADABLE_TEXT: 1}

    later = networks.vk.add_post(owner_id=-COMMUNITY, from_id=3107, text=GOOD)
    client.post("/hooks/vk", json=networks.vk.callback("wall_post_new", later, secret=VK_SECRET))
    taken(services)
    assert _queue(client, operator) == [GOOD]
    assert client.get("/health").status_code == 200


def test_a_text_recorded_before_the_rule_does_not_stop_the_views(
    client: TestClient, services: Services, clock: ManualClock
) -> None:
    # An event as a store written before the domain refused these characters holds it.
    legacy = Complaint.register(
        channel="web",
        source_ref="legacy-1",
        author_ref="web:legacy",
        text="Мусор во дворе",
        received_at=clock.now() - timedelta(hours=1),
        policy=ReactionPolicy(),
        id_key=services.complaints.id_key,
        actor="test",
        at=clock.now(),
        address="Мясникяна 12",
    )
    object.__setattr__(legacy.pending_events[0], "text", "Мусор\x00 во дворе\uffff")
    object.__setattr__(legacy.pending_events[0], "address", "Мясникяна\x00 12")
    services.complaints.save(legacy)
    operator = {"Authorization": f"Bearer {services.access.issue_token(role='operator', name='Анна')}"}
    later = client.post(
        "/api/v1/complaints",
        headers=operator,
        json={
            "channel": "web",
            "source_ref": "web-2",
            "author_ref": "web:2",
            "text": GOOD,
            "received_at": (clock.now() - timedelta(minutes=5)).isoformat(),
        },
    )
    assert later.status_code == 201, later.text
    # PostgreSQL's text cannot hold NUL, so its view shows the replacement character instead.
    shown = "Мусор\ufffd во дворе\ufffd" if services.settings.store == "postgres" else "Мусор\x00 во дворе\uffff"
    assert sorted(_queue(client, operator)) == sorted([GOOD, shown])
    assert client.get("/health").status_code == 200


def test_the_command_line_imports_refuse_it_by_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clock: ManualClock
) -> None:
    monkeypatch.setenv("MCU_STORE", "sqlite")
    monkeypatch.setenv("MCU_DATA_DIR", str(tmp_path / "var"))
    received = (clock.now() - timedelta(hours=1)).isoformat()
    lines = [
        {
            "channel": "gosuslugi",
            "source_ref": f"POS-{n}",
            "author_ref": f"esia:{n}",
            "text": text,
            "received_at": received,
        }
        for n, text in enumerate([f"Снег{POISON[0]} во дворе", GOOD])
    ]
    backlog = tmp_path / "backlog.jsonl"
    backlog.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    imported = CliRunner().invoke(main, ["import", str(backlog)])
    assert "line 1:" in imported.stderr and "1 registered, 0 already registered, 1 refused" in imported.stdout

    monkeypatch.setattr("interfaces.cli.channels.build_services", partial(build_services, triage=ScriptedTriage()))
    export = tmp_path / "export.json"
    appeal = {
        "rubric": "Дороги",
        "address": "проспект Стачки, 5",
        "attachments": [],
        "status": "submitted",
        "submitted_at": received,
        "deadline": (clock.now() + timedelta(days=30)).isoformat(),
    }
    export.write_text(
        json.dumps(
            {
                "appeals": [
                    {**appeal, "id": f"ПОС-{uuid4().hex[:6]}", "text": "Яма\x00 на дороге", "applicant_id": "esia-1"},
                    {**appeal, "id": f"ПОС-{uuid4().hex[:6]}", "text": "Яма на дороге", "applicant_id": "esia-2"},
                ]
            }
        ),
        encoding="utf-8",
    )
    pos = CliRunner().invoke(main, ["import-pos", str(export)])
    assert pos.exit_code == 0, pos.output
    assert "2 appeals: 1 dropped, 1 routed" in pos.stdout
