"""The console in a real Chromium against a real `mcu serve`, used by the centre's people as they
use it: each has an account opened by `mcu account add`, logs in at /login with the one-time
code and sets a password, once per module; their later windows carry that session's cookie.

Complaints are set up through the API with a token of an operator's account. Each test leaves
screenshots in var/screenshots/ for a person to look at.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from adapters.config import Settings
from tests.support.browser import PASSWORD, VIEWPORT, People, Person, screenshot_path
from tests.support.server import environment, free_port, issue_token, serving

pytestmark = pytest.mark.browser

MOSCOW = ZoneInfo("Europe/Moscow")
ROADS = "Департамент автомобильных дорог и организации дорожного движения города Ростова-на-Дону"
TRANSPORT = "Департамент транспорта города Ростова-на-Дону"
DGH = "ДГХ"

ANNA = Person("anna", "Анна Петрова", "operator")
BORIS = Person("boris", "Борис Смирнов", "operator")
IVAN = Person("ivan", "Иван Сидоров", "executor", DGH)
OLGA = Person("olga", "Ольга Кузнецова", "auditor")
PETR = Person("petr", "Пётр Волков", "operator")  # deactivated by his test
VERA = Person("vera", "Вера Орлова", "operator")  # logs in by hand in hers
HEAD = Person("head", "Нина Белова", "supervisor")


@dataclass(frozen=True)
class Console:
    base: str
    people: People
    token: str  # an operator account's, for setting complaints up through the API

    def _api(self) -> httpx.Client:
        return httpx.Client(base_url=self.base, headers={"Authorization": f"Bearer {self.token}"}, timeout=30)

    def register(self, ref: str, text: str, address: str, minutes_ago: float) -> str:
        received = datetime.now(UTC) - timedelta(minutes=minutes_ago)
        with self._api() as api:
            answer = api.post(
                "/api/v1/complaints",
                json={
                    "channel": "phone",
                    "source_ref": ref,
                    "author_ref": "phone:+79000000001",
                    "author_name": "Мария Иванова",
                    "text": text,
                    "address": address,
                    "received_at": received.isoformat(),
                },
            )
        assert answer.status_code == 201, answer.text
        return answer.json()["id"]

    def assign(self, complaint: str, organisation: str) -> None:
        with self._api() as api:
            answer = api.post(f"/api/v1/complaints/{complaint}/assignment", json={"organisation": organisation})
        assert answer.status_code == 200, answer.text

    def page(self, person: Person, path: str) -> Page:
        page = self.people.context(person).new_page()
        page.goto(f"{self.base}{path}")
        return page


@pytest.fixture(scope="module")
def console(chromium: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Console]:
    workdir = tmp_path_factory.mktemp("console")
    env = environment(Settings(store="sqlite", data_dir=workdir / "var"))
    token = issue_token(workdir, env, role="operator", name="Данные теста")
    with serving(workdir, env, free_port()) as (base, _):
        yield Console(base, People(base, workdir, env, chromium), token)


def _row(page: Page, complaint_id: str):
    return page.locator(f"#queue-rows tr[data-id='{complaint_id}']")


def test_a_person_logs_in_with_the_one_time_code_then_with_their_password(chromium: Browser, console: Console) -> None:
    code = console.people.open_account(VERA)
    page = chromium.new_page(viewport=VIEWPORT, locale="ru-RU")
    page.goto(f"{console.base}/queue")
    expect(page).to_have_url(f"{console.base}/login?next=/queue")
    page.screenshot(path=screenshot_path("login"))
    page.get_by_label("Логин").fill(VERA.login)
    page.get_by_label("Пароль или одноразовый код").fill(code)
    page.get_by_role("button", name="Войти").click()
    expect(page.get_by_role("heading", name="Задайте свой пароль")).to_be_visible()
    page.get_by_label("Новый пароль").fill(PASSWORD)
    page.get_by_label("Повторите пароль").fill(PASSWORD + "!")
    page.get_by_role("button", name="Сохранить и войти").click()
    expect(page.get_by_role("main").get_by_role("alert")).to_have_text("Пароли не совпадают.")
    page.screenshot(path=screenshot_path("login-password"))
    page.get_by_label("Новый пароль").fill(PASSWORD)
    page.get_by_label("Повторите пароль").fill(PASSWORD)
    page.get_by_role("button", name="Сохранить и войти").click()
    expect(page).to_have_url(f"{console.base}/queue")
    expect(page.locator("form.account")).to_contain_text(VERA.name)

    page.get_by_role("button", name="Выйти").click()
    expect(page).to_have_url(f"{console.base}/login")
    page.goto(f"{console.base}/queue")
    expect(page).to_have_url(f"{console.base}/login?next=/queue")
    # The code set the password and is spent; the password is what opens the console now.
    page.get_by_label("Логин").fill(VERA.login)
    page.get_by_label("Пароль или одноразовый код").fill(code)
    page.get_by_role("button", name="Войти").click()
    expect(page.get_by_role("main").get_by_role("alert")).to_have_text("Неверный логин или пароль.")
    page.screenshot(path=screenshot_path("login-refused"))
    page.wait_for_timeout(1_100)  # a failed login holds the next try back for a second
    page.get_by_label("Пароль или одноразовый код").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()
    expect(page).to_have_url(f"{console.base}/queue")
    page.close()


def test_a_code_left_unused_too_long_is_refused_with_what_to_do(chromium: Browser, tmp_path) -> None:
    # A server of its own whose codes last 1.8 s, so the test need not wait a day.
    env = {**environment(Settings(store="sqlite", data_dir=tmp_path / "var")), "MCU_CODE_LIFETIME_HOURS": "0.0005"}
    with serving(tmp_path, env, free_port()) as (base, _):
        code = People(base, tmp_path, env, chromium).open_account(VERA)
        page = chromium.new_page(viewport=VIEWPORT, locale="ru-RU")
        page.goto(f"{base}/login")
        page.wait_for_timeout(2_500)
        page.get_by_label("Логин").fill(VERA.login)
        page.get_by_label("Пароль или одноразовый код").fill(code)
        page.get_by_role("button", name="Войти").click()
        alert = page.get_by_role("main").get_by_role("alert")
        expect(alert).to_contain_text("Срок одноразового кода истёк")
        expect(alert).to_contain_text("Попросите старшего смены выдать новый код")
        page.screenshot(path=screenshot_path("login-code-expired"))
        page.close()


def test_an_operators_shift_from_the_queue_to_the_statistics(console: Console) -> None:
    context = console.people.context(ANNA)  # logged in first: the clock below has seconds to go
    overdue = console.register("call/e2e-1", "Не работает уличное освещение во дворе", "ул. Беляева, 22", 300)
    # A few seconds short of the 2 h target: the page's clock turns from green to amber by itself.
    received = datetime.now(UTC) - timedelta(minutes=120 - 8 / 60)
    turning = console.register(
        "call/e2e-2", "Яма на проезжей части, повреждают колёса", "пр. Шолохова, 31", 120 - 8 / 60
    )
    page = context.new_page()
    page.goto(f"{console.base}/")
    expect(page).to_have_url(f"{console.base}/queue")
    expect(page.get_by_role("heading", name="Очередь обращений")).to_be_visible()
    # Overdue first, in red.
    first = page.locator("#queue-rows tbody tr").first
    expect(first).to_have_attribute("data-id", overdue)
    expect(first.locator(".clock")).to_have_class("clock overdue")
    expect(first.locator(".clock")).to_contain_text("Просрочено на")
    clock = _row(page, turning).locator(".clock")
    expect(clock).to_have_class("clock within_target")
    expect(_row(page, turning)).to_contain_text("Зарегистрировано")
    page.screenshot(path=screenshot_path("queue-operator"))
    expect(clock).to_have_class("clock past_target", timeout=15_000)
    expect(clock).to_contain_text("2 ч истекли")

    # Keyboard: j to the first row, j to the second, Enter opens it.
    page.locator("body").press("j")
    page.locator("body").press("j")
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{console.base}/complaints/{turning}")
    expect(page.locator("#status")).to_have_text("Зарегистрировано")
    expect(page.locator("#clock")).to_have_class("clock past_target")
    page.screenshot(path=screenshot_path("card-registered"), full_page=True)

    page.get_by_label("Организация").fill(ROADS)
    page.get_by_role("button", name="Назначить исполнителя").click()
    expect(page.locator("#status")).to_have_text("Назначено")
    expect(page.locator("#organisation")).to_have_text(ROADS)

    answer = page.get_by_role("form", name="Ответить")
    answer.get_by_label("Шаблон").select_option(label="Выезд специалистов")
    expect(answer.get_by_label("Текст для автора")).not_to_have_value("")
    answer.get_by_role("button", name="Ответить").click()
    expect(page.locator("#status")).to_have_text("Дан ответ")
    # The clock stopped past the target: amber, with the time the centre took.
    expect(page.locator("#clock")).to_have_class("clock past_target")
    expect(page.locator("#clock")).to_contain_text("Реакция за 2:0")
    timeline = page.locator(".timeline")
    expect(timeline).to_contain_text("Опубликован ответ")
    # The history names the person in Russian, by role and name; the account's id is on hover.
    latest = timeline.locator(":scope > li").first
    expect(latest).to_contain_text(f"оператор {ANNA.name}")
    expect(latest.locator("abbr")).to_have_attribute("title", re.compile(r"^учётная запись [0-9a-f-]{36}$"))
    expect(timeline).not_to_contain_text("operator:")
    page.screenshot(path=screenshot_path("card-responded"), full_page=True)

    page.get_by_role("link", name="← Очередь").click()
    row = _row(page, turning)
    expect(row).to_contain_text("Дан ответ")
    expect(row).to_contain_text(ROADS)
    expect(row.locator(".clock")).to_contain_text("Реакция за 2:0")
    expect(row.locator(".clock[data-deadline]")).to_have_count(0)  # stopped: no longer counting down
    # Answered, it leaves the running clocks: after all of them, though its deadline was early.
    expect(page.locator("#queue-rows tbody tr[data-id]").last).to_have_attribute("data-id", turning)
    page.screenshot(path=screenshot_path("queue-after-answer"))

    # The month the complaint came in, as the report counts it: one received, one answered, past 2 h.
    page.goto(f"{console.base}/statistics?month={received.astimezone(MOSCOW):%Y-%m}")
    expect(page.get_by_role("heading", name="Отчёт МЦУ за")).to_be_visible()
    section = page.locator("section", has=page.get_by_role("heading", name="Ответы в срок по организациям"))
    section.get_by_text("Таблица").click()
    cells = section.locator("tbody tr", has=page.get_by_role("cell", name=ROADS, exact=True)).locator("td")
    # Организация, Поступило, Отвечено, медиана, 90-й перцентиль, в пределах 2 ч, в пределах 4 ч, просрочено.
    expect(cells.nth(1)).to_have_text("1")
    expect(cells.nth(2)).to_have_text("1")
    expect(cells.nth(5)).to_have_text("0,0")
    expect(cells.nth(6)).to_have_text("100,0")
    page.screenshot(path=screenshot_path("statistics"), full_page=True)
    page.context.close()


def test_a_new_complaint_appears_in_an_open_queue_without_a_reload(console: Console) -> None:
    page = console.page(ANNA, "/queue")
    expect(page.locator("#queue-rows")).to_be_visible()
    fresh = console.register("call/e2e-3", "Переполнены мусорные контейнеры", "ул. Мечникова, 5", 1)
    expect(_row(page, fresh)).to_be_visible(timeout=20_000)
    expect(_row(page, fresh)).to_have_class("changed")
    page.context.close()


def test_an_executor_sees_only_their_organisations_complaints(console: Console) -> None:
    theirs = console.register("call/e2e-7", "Не убрана листва на газоне у дома", "ул. Нансена, 103", 50)
    console.assign(theirs, DGH)
    elsewhere = console.register("call/e2e-8", "Автобус № 96 не приходит по расписанию", "пл. Театральная", 40)
    console.assign(elsewhere, TRANSPORT)
    page = console.page(IVAN, "/queue")
    expect(_row(page, theirs)).to_be_visible()
    expect(_row(page, elsewhere)).to_have_count(0)
    organisations = page.locator("#queue-rows tbody tr[data-id] td:nth-child(6)")
    assert set(organisations.all_inner_texts()) == {DGH}
    # Their sections: the queue alone.
    expect(page.get_by_role("navigation", name="Разделы").get_by_role("link")).to_have_text(["Очередь"])
    page.screenshot(path=screenshot_path("queue-executor"))

    # Another organisation's complaint by its address: as if there were none.
    answer = page.goto(f"{console.base}/complaints/{elsewhere}")
    assert answer is not None and answer.status == 404
    expect(page.get_by_role("heading", name="Обращение не найдено")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("Автобус")
    page.screenshot(path=screenshot_path("card-not-found"))

    answer = page.goto(f"{console.base}/complaints/{theirs}")
    assert answer is not None and answer.status == 200
    expect(page.get_by_role("form", name="Ответить")).to_be_visible()
    page.screenshot(path=screenshot_path("card-executor"), full_page=True)
    page.context.close()


def test_an_auditor_sees_the_history_but_no_action_and_no_author(console: Console) -> None:
    complaint = console.register("call/e2e-4", "Не вывозят мусор третий день", "ул. Текучёва, 10", 30)
    console.assign(complaint, DGH)
    page = console.page(OLGA, f"/complaints/{complaint}")
    timeline = page.locator(".timeline")
    expect(timeline.locator(":scope > li")).to_have_count(2)
    expect(timeline).to_contain_text("Зарегистрировано")
    expect(timeline).to_contain_text("Назначен исполнитель")
    expect(page.locator("form:not(.account)")).to_have_count(0)
    expect(page.get_by_role("button")).to_have_text(["Выйти"])
    expect(page.locator(".moves")).to_contain_text("Для вашей роли действий с этим обращением нет")
    expect(page.locator("body")).not_to_contain_text("Мария Иванова")
    expect(page.locator("body")).to_contain_text("скрыт для вашей роли")
    sections = page.get_by_role("navigation", name="Разделы").get_by_role("link")
    expect(sections).to_have_text(["Очередь", "Статистика", "Ответы", "Аудит"])
    page.screenshot(path=screenshot_path("card-auditor"), full_page=True)
    page.context.close()


def test_a_form_without_its_csrf_token_is_refused(console: Console) -> None:
    complaint = console.register("call/e2e-9", "Открыт канализационный люк", "ул. Пушкинская, 40", 10)
    page = console.page(ANNA, f"/complaints/{complaint}")
    form = page.get_by_role("form", name="Назначить исполнителя")
    # A form as another site would post it: without the token only this session's pages carry.
    form.locator("input[name=_csrf_token]").evaluate("input => input.remove()")
    form.get_by_label("Организация").fill(DGH)
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        form.get_by_role("button", name="Назначить исполнителя").click()
    assert posted.value.status == 403
    expect(page.get_by_role("heading", name="Нет доступа")).to_be_visible()
    expect(page.get_by_role("main").get_by_role("alert")).to_contain_text("Ваше действие не записано")
    page.screenshot(path=screenshot_path("csrf-refused"))

    page.goto(f"{console.base}/complaints/{complaint}")
    expect(page.locator("#status")).to_have_text("Зарегистрировано")
    expect(page.locator("#organisation")).to_have_text("—")
    expect(page.locator(".timeline > li")).to_have_count(1)
    page.context.close()


def test_a_change_made_meanwhile_is_shown_not_overwritten(console: Console) -> None:
    complaint = console.register("call/e2e-5", "Не работает светофор на перекрёстке", "ул. Стачки, 1", 20)
    anna = console.page(ANNA, f"/complaints/{complaint}")
    anna.get_by_label("Организация").fill(ROADS)
    # Boris, in his own window, assigns it first, to another body.
    boris = console.page(BORIS, f"/complaints/{complaint}")
    boris.get_by_label("Организация").fill(TRANSPORT)
    boris.get_by_role("button", name="Назначить исполнителя").click()
    expect(boris.locator("#organisation")).to_have_text(TRANSPORT)

    with anna.expect_response(lambda r: r.request.method == "POST") as posted:
        anna.get_by_role("button", name="Назначить исполнителя").click()
    assert posted.value.status == 412
    expect(anna.get_by_role("main").get_by_role("alert")).to_contain_text("обращение изменили")
    expect(anna.locator("#organisation")).to_have_text(TRANSPORT)
    expect(anna.locator("#status")).to_have_text("Назначено")
    expect(anna.locator(".timeline > li").first).to_contain_text(f"оператор {BORIS.name}")
    # What she typed is kept, for her to send again if she still means it.
    expect(anna.get_by_label("Организация")).to_have_value(ROADS)
    anna.screenshot(path=screenshot_path("card-changed-meanwhile"), full_page=True)

    anna.reload()
    expect(anna.locator("#organisation")).to_have_text(TRANSPORT)
    anna.context.close()
    boris.context.close()


def test_the_head_of_shift_issues_a_token_and_sees_it_once(console: Console) -> None:
    page = console.page(HEAD, "/queue")
    page.get_by_role("navigation", name="Разделы").get_by_role("link", name="Сотрудники").click()
    expect(page).to_have_url(f"{console.base}/accounts")
    # A new person: the one-time code, shown once, until when it works.
    opening = page.locator("form[action='/accounts']")
    opening.get_by_label("Логин").fill("sergey")
    opening.get_by_label("Имя и фамилия").fill("Сергей Ковалёв")
    opening.get_by_label("Роль").select_option(label="аудитор")
    opening.get_by_role("button", name="Завести").click()
    code_notice = page.get_by_role("status").filter(has_text="Одноразовый код")
    expect(code_notice).to_contain_text("Код действует до")
    expect(code_notice).to_contain_text("(МСК)")
    page.screenshot(path=screenshot_path("accounts-code-issued"))

    form = page.locator("form[action='/tokens']")
    form.get_by_label("Учётная запись").select_option(HEAD.login)
    form.get_by_label("Название (кто им пользуется)").fill("отчёты для администрации")
    form.get_by_role("button", name="Выдать токен").click()

    notice = page.get_by_role("status").filter(has_text="Токен")
    expect(notice).to_contain_text("больше показан не будет")
    token = notice.locator("code").inner_text()
    page.screenshot(path=screenshot_path("accounts-token-issued"), full_page=True)
    with httpx.Client(base_url=console.base, headers={"Authorization": f"Bearer {token}"}, timeout=30) as api:
        assert api.get("/api/v1/complaints").status_code == 200
    # Once: the list names the token, never the token itself again.
    page.goto(f"{console.base}/accounts")
    expect(page.locator("body")).to_contain_text("отчёты для администрации")
    expect(page.locator("body")).not_to_contain_text(token)
    page.context.close()


def test_a_deactivated_account_is_logged_out(console: Console) -> None:
    page = console.page(PETR, "/queue")
    expect(page.get_by_role("heading", name="Очередь обращений")).to_be_visible()
    console.people.deactivate(PETR)
    page.get_by_role("link", name="Статистика").click()
    expect(page).to_have_url(f"{console.base}/login?next=/statistics")
    expect(page.get_by_role("heading", name="Вход в консоль МЦУ")).to_be_visible()
    page.get_by_label("Логин").fill(PETR.login)
    page.get_by_label("Пароль или одноразовый код").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()
    expect(page.get_by_role("main").get_by_role("alert")).to_have_text("Неверный логин или пароль.")
    page.context.close()


def test_the_queue_and_the_card_fit_a_tablet(console: Console) -> None:
    complaint = console.register("call/e2e-6", "Во дворе не убран снег, не пройти к подъезду", "ул. Зорге, 33", 45)
    context = console.people.context(ANNA, viewport={"width": 768, "height": 1024})
    page = context.new_page()
    for path, name in [("/queue", "queue-tablet"), (f"/complaints/{complaint}", "card-tablet")]:
        page.goto(f"{console.base}{path}")
        # The page itself never scrolls sideways; a wide table scrolls within its own box.
        assert page.evaluate("document.documentElement.scrollWidth") <= 768
        page.screenshot(path=screenshot_path(name), full_page=True)
    context.close()
