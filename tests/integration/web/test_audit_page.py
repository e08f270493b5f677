"""The audit page: the log's verdict, a complaint stepped through its history, its readers."""

import re
from datetime import UTC, datetime, timedelta

from litestar.testing import TestClient

from adapters.clock import ManualClock
from interfaces.bootstrap import Services
from tests.integration.web.console import assign, bearer, register, respond, staff

RECEIVED = datetime(2026, 11, 10, 9, 0, tzinfo=UTC)  # 12:00 in Moscow
ROADS = "Департамент автомобильных дорог"


def _answered(console: TestClient, services: Services, clock: ManualClock) -> str:
    """Registered at 12:00, assigned at 12:30, answered at 13:00 (Moscow); its author read once."""
    operator = bearer(services, "operator")
    clock.set(RECEIVED)
    complaint = register(console, operator, "post-zx91", received=RECEIVED, category="roads")
    clock.set(RECEIVED + timedelta(minutes=30))
    assign(console, operator, complaint, ROADS)
    clock.set(RECEIVED + timedelta(hours=1))
    respond(console, operator, complaint, "Яму заделают до пятницы")
    assert console.get(f"/api/v1/complaints/{complaint}", headers=operator).status_code == 200
    return complaint


def test_the_log_is_checked_on_request_and_said_intact(console: TestClient, console_services: Services, clock) -> None:
    _answered(console, console_services, clock)
    auditor = staff(console, console_services, "auditor")
    before = console.get("/audit", headers=auditor)
    assert before.status_code == 200 and "Проверить журнал" in before.text and "Журнал цел" not in before.text
    checked = console.get("/audit", headers=auditor, params={"verify": "true"}).text
    assert "Журнал цел." in checked and "Проверено событий: 3, обращений: 1" in checked


def test_a_complaint_steps_through_its_history_and_names_who_read_its_author(
    console: TestClient, console_services: Services, clock: ManualClock
) -> None:
    complaint = _answered(console, console_services, clock)
    auditor = staff(console, console_services, "auditor")

    latest = console.get("/audit", headers=auditor, params={"complaint": complaint}).text
    assert "Шаг 3 из 3" in latest and "Событие: Опубликован ответ" in latest
    assert f'href="/audit?complaint={complaint}&amp;version=2" rel="prev"' in latest
    assert "Яму заделают до пятницы" in latest
    assert re.search(r"<td>оператор console-operator</td><td>10\.11\.2026 13:00:00</td>", latest), latest

    second = console.get("/audit", headers=auditor, params={"complaint": complaint, "version": 2}).text
    assert "Шаг 2 из 3" in second and "Событие: Назначен исполнитель" in second
    assert re.search(r"<th scope=\"row\">Организация</th><td>—</td><td>" + ROADS + "</td>", second)
    assert re.search(r"<th scope=\"row\">Статус</th><td>Зарегистрировано</td><td>Назначено</td>", second)

    # 12:45 Moscow: assigned, not yet answered.
    at_moment = console.get("/audit", headers=auditor, params={"complaint": complaint, "at": "2026-11-10T12:45"}).text
    assert "Шаг 2 из 3" in at_moment and 'value="2026-11-10T12:45"' in at_moment
    before = console.get("/audit", headers=auditor, params={"complaint": complaint, "at": "2026-11-10T11:00"})
    assert "ещё не было зарегистрировано" in before.text


def test_the_author_is_never_shown_and_an_unknown_complaint_is_404(
    console: TestClient, console_services: Services, clock: ManualClock
) -> None:
    complaint = _answered(console, console_services, clock)
    auditor = staff(console, console_services, "auditor")
    for version in (1, 2, 3):
        page = console.get("/audit", headers=auditor, params={"complaint": complaint, "version": version}).text
        assert "Шаг" in page and "post-zx91" not in page  # the author phone:post-zx91, the post
    unknown = console.get("/audit", headers=auditor, params={"complaint": "00000000-0000-0000-0000-000000000009"})
    assert unknown.status_code == 404 and "Такого обращения нет." in unknown.text
    assert console.get("/audit", headers=staff(console, console_services, "operator")).status_code == 403
