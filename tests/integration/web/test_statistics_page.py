"""The statistics page: its charts, and each chart's CSV and XLSX, from known complaints."""

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from xml.etree import ElementTree

import pytest
from litestar.testing import TestClient

from adapters.clock import ManualClock
from adapters.config import Settings
from interfaces.bootstrap import Services, bootstrap
from tests.integration.web.console import assign, bearer, register, respond, staff

ROADS = "Департамент автомобильных дорог"
RECEIVED = datetime(2026, 11, 10, 9, 0, tzinfo=UTC)  # 12:00 in Moscow, a Tuesday
NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


@pytest.fixture
def console_services(durable_settings: Settings, clock: ManualClock) -> Iterator[Services]:
    """The figures come from each store's own SQL: on SQLite and on PostgreSQL alike."""
    built = bootstrap(durable_settings, clock=clock)
    yield built
    built.close()


@pytest.fixture
def november(console: TestClient, console_services: Services, clock: ManualClock) -> dict[str, str]:
    """Two road complaints for the roads department answered in 1 h and 3 h, one about waste
    never assigned nor answered."""
    operator = staff(console, console_services, "operator")
    clock.set(RECEIVED)
    quick = register(console, operator, "n1", received=RECEIVED, category="roads")
    slow = register(console, operator, "n2", received=RECEIVED, category="roads")
    register(console, operator, "n3", received=RECEIVED, category="waste")
    for complaint_id in (quick, slow):
        assign(console, operator, complaint_id, ROADS)
    clock.set(RECEIVED + timedelta(hours=1))
    respond(console, operator, quick)
    clock.set(RECEIVED + timedelta(hours=3))
    respond(console, operator, slow)
    clock.set(NOW)
    return staff(console, console_services, "supervisor")


def _csv(console: TestClient, headers: dict[str, str], file: str, **params: str) -> list[list[str]]:
    response = console.get(f"/statistics/{file}", headers=headers, params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert f'filename="mcu-{file.split(".")[0]}-2026-11.csv"' in response.headers["content-disposition"]
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def _xlsx(content: bytes) -> list[list[str]]:
    """The first sheet's cells as text, read from the file's XML: no reader library needed."""
    ns = {"s": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    with zipfile.ZipFile(io.BytesIO(content)) as book:
        strings = [
            "".join(node.itertext())
            for node in ElementTree.fromstring(book.read("xl/sharedStrings.xml")).findall("s:si", ns)
        ]
        sheet = ElementTree.fromstring(book.read("xl/worksheets/sheet1.xml"))
    rows = []
    for row in sheet.iterfind(".//s:row", ns):
        cells = []
        for cell in row.iterfind("s:c", ns):
            value = cell.findtext("s:v", default="", namespaces=ns)
            cells.append(strings[int(value)] if cell.get("t") == "s" else value)
        rows.append(cells)
    return rows


def test_the_page_draws_each_chart_in_russian_for_the_chosen_month(
    console: TestClient, november: dict[str, str]
) -> None:
    response = console.get("/statistics", headers=november, params={"month": "2026-11"})
    assert response.status_code == 200
    page = response.text
    assert "Отчёт МЦУ за ноябрь 2026" in page and "Сформирован 28.11.2026 12:00 (МСК)" in page
    assert page.count("<svg") == 7
    assert "Дороги" in page and "Вывоз мусора" in page and "roads" not in page
    for name in ("volume", "categories", "reaction", "channels", "organisations", "overdue"):
        assert f'href="/statistics/{name}.csv?month=2026-11' in page
        assert f'href="/statistics/{name}.xlsx?month=2026-11' in page
    figures = dict(re.findall(r"<dt>([^<]+)</dt><dd>([^<]+)</dd>", page))
    assert figures["Всего просрочено сейчас"] == "1"
    assert figures["В пределах 2 ч"] == "33,3\u00a0%" and figures["В пределах 4 ч"] == "66,7\u00a0%"


def test_each_chart_downloads_as_csv_with_the_figures_shown(console: TestClient, november: dict[str, str]) -> None:
    assert _csv(console, november, "categories.csv", month="2026-11") == [
        ["Место", "Категория", "Обращений", "Доля, %"],
        ["1", "Дороги", "2", "66.7"],
        ["2", "Вывоз мусора", "1", "33.3"],
    ]
    assert _csv(console, november, "volume.csv", month="2026-11") == [
        ["Месяц", "Зарегистрировано", "Рост регистраций, %", "Решено", "Рост решённых, %"],
        ["2026-11", "3", "", "0", ""],
    ]
    assert _csv(console, november, "overdue.csv", month="2026-11") == [
        ["Организация", "Просрочено"],
        ["не назначена", "1"],
    ]
    by_week = _csv(console, november, "reaction.csv", month="2026-11", step="week")
    assert by_week[1][:3] == ["2026-11-09", "3", "2"]
    assert by_week[1][5:] == ["33.3", "66.7", "1"]


def test_each_chart_downloads_as_xlsx_with_the_same_figures(console: TestClient, november: dict[str, str]) -> None:
    response = console.get("/statistics/categories.xlsx", headers=november, params={"month": "2026-11"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    rows = _xlsx(response.content)
    assert rows[0] == ["Место", "Категория", "Обращений", "Доля, %"]
    assert [row[:3] for row in rows[1:]] == [["1", "Дороги", "2"], ["2", "Вывоз мусора", "1"]]
    assert [float(row[3]) for row in rows[1:]] == pytest.approx([2 / 3, 1 / 3])


def test_a_month_without_complaints_says_so_and_an_unknown_table_is_404(
    console: TestClient, november: dict[str, str]
) -> None:
    page = console.get("/statistics", headers=november, params={"month": "2026-06", "step": "month"}).text
    assert "За этот месяц данных нет." in page
    assert console.get("/statistics/secrets.csv", headers=november).status_code == 404
    assert console.get("/statistics/volume.pdf", headers=november).status_code == 404
    assert console.get("/statistics", headers=november, params={"month": "2026-13"}).status_code == 400


def test_statistics_are_for_the_roles_that_read_them_over_the_api(
    console: TestClient, console_services: Services
) -> None:
    anonymous = console.get("/statistics", follow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["location"] == "/login?next=/statistics"
    assert console.get("/statistics", headers=staff(console, console_services, "executor")).status_code == 403
    # A machine's token opens no console page: the browser is sent to log in.
    machine = console.get("/statistics/volume.csv", headers=bearer(console_services, "open311"), follow_redirects=False)
    assert machine.status_code == 303 and machine.headers["location"].startswith("/login")
