"""Steps for the centre's people logging into the console, over HTTP on the in-memory store."""

from datetime import timedelta

import pytest
from litestar.testing import TestClient
from pytest_bdd import parsers, scenarios, step, then

from adapters.clock import ManualClock
from interfaces.bootstrap import Services
from tests.support.console_login import csrf_of

scenarios("accounts.feature")


class People:
    def __init__(self) -> None:
        self.codes: dict[str, str] = {}


@pytest.fixture
def people() -> People:
    return People()


def _log_in(browser: TestClient, login: str, secret: str):
    token = csrf_of(browser.get("/login").text)
    return browser.post("/login", data={"login": login, "password": secret, "next": "/account", "_csrf_token": token})


@step(parsers.parse('старший смены заводит оператора "{login}" по имени "{name}"'))
def head_opens(people: People, services: Services, login: str, name: str) -> None:
    code = services.accounts.open(login=login, name=name, role="operator").code
    assert code is not None
    people.codes[login] = code


@step(parsers.parse('"{login}" входит с одноразовым кодом и задаёт пароль "{password}"'))
def first_login(people: People, browser: TestClient, login: str, password: str) -> None:
    page = _log_in(browser, login, people.codes[login])
    assert "Задайте свой пароль" in page.text
    fields = {"login": login, "code": people.codes[login], "password": password, "again": password}
    done = browser.post("/login/password", data={**fields, "next": "/account", "_csrf_token": csrf_of(page.text)})
    assert done.status_code == 303


@step(parsers.parse('"{login}" задала пароль "{password}"'))
def password_set(people: People, services: Services, login: str, password: str) -> None:
    services.accounts.set_password(login, code=people.codes[login], password=password)


@step(parsers.parse('"{login}" вошла в консоль с паролем "{password}"'))
def logged_in(browser: TestClient, login: str, password: str) -> None:
    assert _log_in(browser, login, password).status_code == 303


@step(parsers.parse('"{login}" пять раз ошибается в пароле с перерывом в минуту'))
def five_failures(browser: TestClient, clock: ManualClock, login: str) -> None:
    for _ in range(5):
        assert _log_in(browser, login, "не тот пароль").status_code == 401
        clock.advance(timedelta(minutes=1))


@step(parsers.parse("проходит {minutes:d} минут"))
def minutes_pass(clock: ManualClock, minutes: int) -> None:
    clock.advance(timedelta(minutes=minutes))


@step(parsers.parse("проходит {hours:d} часов"))
def hours_pass(clock: ManualClock, hours: int) -> None:
    clock.advance(timedelta(hours=hours))


@step(parsers.parse('старший смены выдаёт "{login}" новый код'))
def new_code(people: People, services: Services, login: str) -> None:
    people.codes[login] = services.accounts.new_code(login)


@step(parsers.parse('старший смены отключает учётную запись "{login}"'))
def deactivated(services: Services, login: str) -> None:
    services.accounts.deactivate(login)


@then(parsers.parse('консоль показывает имя "{name}"'))
def shows_name(browser: TestClient, name: str) -> None:
    assert name in browser.get("/account").text


@then(parsers.parse('вход "{login}" с паролем "{password}" отклонён со словами "{words}"'))
def refused(browser: TestClient, login: str, password: str, words: str) -> None:
    answer = _log_in(browser, login, password)
    assert answer.status_code == 401 and words in answer.text


@then(parsers.parse('вход "{login}" с одноразовым кодом отклонён со словами "{words}"'))
def code_refused(people: People, browser: TestClient, login: str, words: str) -> None:
    answer = _log_in(browser, login, people.codes[login])
    assert answer.status_code == 401 and words in answer.text


@then(parsers.parse('вход "{login}" с паролем "{password}" открывает консоль'))
def admitted(browser: TestClient, login: str, password: str) -> None:
    assert _log_in(browser, login, password).status_code == 303
    assert browser.get("/account").status_code == 200


@then(parsers.parse('следующая страница ведёт "{login}" ко входу'))
def sent_to_login(browser: TestClient, login: str) -> None:
    answer = browser.get("/account")
    assert answer.status_code == 303 and answer.headers["location"].startswith("/login")
