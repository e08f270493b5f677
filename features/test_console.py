"""The operator's shift in the console, as its pages show it (features/console.feature)."""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import datetime

import pytest
from litestar.testing import TestClient
from pytest_bdd import parsers, scenarios, step, then

from adapters.clock import ManualClock
from features.conftest import moscow_time

scenarios("console.feature")

_ROW = re.compile(r'<tr data-id="([0-9a-f-]{36})".*?<td class="clock ([a-z_]+)".*?title="([^"]+)".*?</tr>', re.S)


@dataclass
class Shift:
    """The complaints by their text, whose console is open, and the card last opened."""

    complaints: dict[str, str] = field(default_factory=dict)
    who: dict[str, dict[str, str]] = field(default_factory=dict)
    card: str = ""
    page: str = ""


@pytest.fixture
def shift_state() -> Shift:
    return Shift()


@step(parsers.parse('по телефону в "{hhmm}" поступила жалоба "{text}"'))
def complaint_arrives(shift_state: Shift, client: TestClient, auth, clock: ManualClock, hhmm: str, text: str) -> None:
    received: datetime = moscow_time(clock, hhmm)
    answer = client.post(
        "/api/v1/complaints",
        headers=auth("operator"),
        json={
            "channel": "phone",
            "source_ref": f"call/{hhmm}",
            "author_ref": "phone:+79185550000",
            "text": text,
            "received_at": received.isoformat(),
            "category": "roads",
        },
    )
    assert answer.status_code == 201, answer.text
    shift_state.complaints[text] = answer.json()["id"]


@step(parsers.parse("{role} вошёл в консоль"))
def logs_in(shift_state: Shift, person, role: str) -> None:
    shift_state.who[role] = person({"оператор": "operator", "аудитор": "auditor"}[role])


def _rows(page: str) -> list[tuple[str, str, str]]:
    return _ROW.findall(page)


@step("оператор открывает очередь")
def opens_queue(shift_state: Shift, client: TestClient) -> None:
    answer = client.get("/queue", headers=shift_state.who["оператор"])
    assert answer.status_code == 200
    shift_state.page = answer.text


@then(parsers.parse('первой в очереди стоит жалоба "{text}"'))
def first_in_queue(shift_state: Shift, text: str) -> None:
    assert _rows(shift_state.page)[0][0] == shift_state.complaints[text]


@then(parsers.parse('её часы показывают "{state}"'))
def first_clock(shift_state: Shift, state: str) -> None:
    assert _rows(shift_state.page)[0][2] == state


@then(parsers.parse('часы жалобы "{text}" показывают "{state}"'))
def clock_of(shift_state: Shift, text: str, state: str) -> None:
    [shown] = [row[2] for row in _rows(shift_state.page) if row[0] == shift_state.complaints[text]]
    assert shown == state


@step(parsers.parse('{role} открывает жалобу "{text}"'))
@step(parsers.parse('{role} открывает жалобу "{text}" из очереди'))
def opens_card(shift_state: Shift, client: TestClient, role: str, text: str) -> None:
    complaint = shift_state.complaints[text]
    if role == "оператор":
        queue = client.get("/queue", headers=shift_state.who[role]).text
        assert f'href="/complaints/{complaint}"' in queue
    answer = client.get(f"/complaints/{complaint}", headers=shift_state.who[role])
    assert answer.status_code == 200
    shift_state.card, shift_state.page = complaint, answer.text


def _version(page: str) -> str:
    found = re.search(r'name="version" value="(\d+)"', page)
    assert found, page
    return found.group(1)


def _post(shift_state: Shift, client: TestClient, segment: str, form: dict[str, str]) -> None:
    headers = shift_state.who["оператор"]
    url = f"/complaints/{shift_state.card}"
    answer = client.post(
        f"{url}/{segment}",
        headers=headers,
        data={"version": _version(shift_state.page), **form},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    shift_state.page = client.get(url, headers=headers).text


@step(parsers.parse('назначает её организации "{organisation}"'))
def assigns(shift_state: Shift, client: TestClient, organisation: str) -> None:
    _post(shift_state, client, "assignment", {"organisation": organisation})


@step(parsers.parse('отвечает жителю "{text}"'))
def responds(shift_state: Shift, client: TestClient, text: str) -> None:
    _post(shift_state, client, "response", {"text": text})


@then(parsers.parse('жалоба в статусе "{status}"'))
def card_status(shift_state: Shift, status: str) -> None:
    assert f">{status}<" in shift_state.page


@then(parsers.parse('в очереди жалоба "{text}" стоит со статусом "{status}" и остановленными часами'))
def queue_row(shift_state: Shift, client: TestClient, text: str, status: str) -> None:
    page = client.get("/queue", headers=shift_state.who["оператор"]).text
    row = re.search(rf'<tr data-id="{shift_state.complaints[text]}".*?</tr>', page, re.S)
    assert row is not None
    assert f"<td>{status}</td>" in row.group(0)
    # A running clock carries the moments the page counts down to; a stopped one does not.
    assert "data-deadline" not in row.group(0)


@then(parsers.parse("в статистике за ноябрь {year:d} года учтён {answered:d} ответ из {received:d} обращений"))
def statistics_count(shift_state: Shift, client: TestClient, person, year: int, answered: int, received: int) -> None:
    answer = client.get("/statistics/reaction.csv", params={"month": f"{year}-11"}, headers=person("supervisor"))
    assert answer.status_code == 200, answer.text
    header, *rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    weeks = [dict(zip(header, row, strict=True)) for row in rows]
    assert sum(int(week["Поступило"]) for week in weeks) == received
    assert sum(int(week["Отвечено"]) for week in weeks) == answered


@then(parsers.parse('он видит историю: "{event}"'))
def sees_history(shift_state: Shift, event: str) -> None:
    assert event in shift_state.page


@then("в карточке нет ни одной кнопки действия")
def no_moves(shift_state: Shift) -> None:
    assert not re.findall(r'<form method="post" action="/complaints/', shift_state.page)


@then("в очереди она стоит после жалоб, часы которых ещё идут")
def after_running_clocks(shift_state: Shift, client: TestClient) -> None:
    page = client.get("/queue", headers=shift_state.who["оператор"]).text
    rows = re.findall(r'<tr data-id="([0-9a-f-]{36})".*?</tr>', page, re.S)
    running = [row for row in re.findall(r"<tr data-id=.*?</tr>", page, re.S) if "data-deadline" in row]
    assert running and rows[-1] == shift_state.card
    assert rows.index(shift_state.card) == len(running)


@then("в истории ответ записан за оператором по имени, по-русски")
def answered_by_name(shift_state: Shift, client: TestClient) -> None:
    page = client.get(f"/complaints/{shift_state.card}", headers=shift_state.who["оператор"]).text
    history = page[page.index('id="history-title"') :]
    answered = re.search(r"<strong>Опубликован ответ</strong> — (.*?)</div>", history, re.S)
    assert answered is not None
    assert re.fullmatch(r'оператор <abbr title="учётная запись [0-9a-f-]{36}">Тест operator</abbr>', answered.group(1))
