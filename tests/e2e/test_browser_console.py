"""The console in a real Chromium against a real `mcu serve`: an operator's queue and card, an
auditor's read-only card, and a change made meanwhile by someone else, which is not overwritten.

Until staff sessions arrive the browser sends an API token with every request, as the API's
clients do. Each test leaves screenshots in var/screenshots/ for a person to look at.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.support.browser import VIEWPORT, screenshot_path, serving_environment
from tests.support.server import free_port, issue_token, serving

pytestmark = pytest.mark.browser

ORGANISATION = "Департамент автомобильных дорог и организации дорожного движения города Ростова-на-Дону"


@dataclass(frozen=True)
class Console:
    base: str
    tokens: dict[str, str]

    def api(self, role: str) -> httpx.Client:
        return httpx.Client(base_url=self.base, headers={"Authorization": f"Bearer {self.tokens[role]}"}, timeout=30)

    def register(self, ref: str, text: str, address: str, minutes_ago: float) -> str:
        received = datetime.now(UTC) - timedelta(minutes=minutes_ago)
        with self.api("operator") as api:
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


@pytest.fixture(scope="module")
def console(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Console]:
    workdir = tmp_path_factory.mktemp("console")
    env = serving_environment(workdir / "var")
    tokens = {role: issue_token(workdir, env, role=role, name=f"{role}-e2e") for role in ("operator", "auditor")}
    with serving(workdir, env, free_port()) as (base, _):
        yield Console(base, tokens)


def _as(chromium: Browser, console: Console, role: str) -> BrowserContext:
    return chromium.new_context(
        viewport=VIEWPORT,
        locale="ru-RU",
        extra_http_headers={"Authorization": f"Bearer {console.tokens[role]}"},
    )


def _row(page: Page, complaint_id: str):
    return page.locator(f"#queue-rows tr[data-id='{complaint_id}']")


def test_an_operator_opens_the_queue_assigns_and_answers(chromium: Browser, console: Console) -> None:
    overdue = console.register("call/e2e-1", "Не работает уличное освещение во дворе", "ул. Беляева, 22", 300)
    # A few seconds short of the 2 h target: the page's clock turns from green to amber by itself.
    turning = console.register(
        "call/e2e-2", "Яма на проезжей части, повреждают колёса", "пр. Шолохова, 31", 120 - 4 / 60
    )
    context = _as(chromium, console, "operator")
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
    page.screenshot(path=screenshot_path("queue-operator"))
    expect(clock).to_have_class("clock past_target", timeout=10_000)
    expect(clock).to_contain_text("2 ч истекли")

    # Keyboard: j to the first row, j to the second, Enter opens it.
    page.locator("body").press("j")
    page.locator("body").press("j")
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{console.base}/complaints/{turning}")
    expect(page.locator("#status")).to_have_text("Зарегистрировано")
    page.screenshot(path=screenshot_path("card-registered"), full_page=True)

    page.get_by_label("Организация").fill(ORGANISATION)
    page.get_by_role("button", name="Назначить исполнителя").click()
    expect(page.locator("#status")).to_have_text("Назначено")
    expect(page.locator("#organisation")).to_have_text(ORGANISATION)

    answer = page.get_by_role("form", name="Ответить")
    answer.get_by_label("Шаблон").select_option(label="Выезд специалистов")
    expect(answer.get_by_label("Текст для автора")).not_to_have_value("")
    answer.get_by_role("button", name="Ответить").click()
    expect(page.locator("#status")).to_have_text("Дан ответ")
    # The clock stopped past the target: amber, with the time the centre took.
    expect(page.locator("#clock")).to_have_class("clock past_target")
    expect(page.locator("#clock")).to_contain_text("Реакция за 2:0")
    expect(page.locator(".timeline")).to_contain_text("Опубликован ответ")
    expect(page.locator(".timeline")).to_contain_text("operator:operator-e2e")
    page.screenshot(path=screenshot_path("card-responded"), full_page=True)

    page.goto(f"{console.base}/queue")
    expect(_row(page, turning)).to_contain_text("Дан ответ")
    expect(_row(page, turning)).to_contain_text(ORGANISATION)
    page.screenshot(path=screenshot_path("queue-after-answer"))
    context.close()


def test_a_new_complaint_appears_in_an_open_queue_without_a_reload(chromium: Browser, console: Console) -> None:
    context = _as(chromium, console, "operator")
    page = context.new_page()
    page.goto(f"{console.base}/queue")
    expect(page.locator("#queue-rows")).to_be_visible()
    fresh = console.register("call/e2e-3", "Переполнены мусорные контейнеры", "ул. Мечникова, 5", 1)
    expect(_row(page, fresh)).to_be_visible(timeout=20_000)
    expect(_row(page, fresh)).to_have_class("changed")
    context.close()


def test_an_auditor_sees_the_history_but_no_action_and_no_author(chromium: Browser, console: Console) -> None:
    complaint = console.register("call/e2e-4", "Не вывозят мусор третий день", "ул. Текучёва, 10", 30)
    context = _as(chromium, console, "auditor")
    page = context.new_page()
    page.goto(f"{console.base}/complaints/{complaint}")
    expect(page.locator(".timeline")).to_contain_text("Зарегистрировано")
    expect(page.locator(".moves form")).to_have_count(0)
    expect(page.locator(".moves")).to_contain_text("Для вашей роли действий с этим обращением нет")
    expect(page.locator("body")).not_to_contain_text("Мария Иванова")
    expect(page.locator("body")).to_contain_text("скрыт для вашей роли")
    page.screenshot(path=screenshot_path("card-auditor"), full_page=True)
    context.close()


def test_a_change_made_meanwhile_is_shown_not_overwritten(chromium: Browser, console: Console) -> None:
    complaint = console.register("call/e2e-5", "Не работает светофор на перекрёстке", "ул. Стачки, 1", 20)
    context = _as(chromium, console, "operator")
    page = context.new_page()
    page.goto(f"{console.base}/complaints/{complaint}")
    page.get_by_label("Организация").fill(ORGANISATION)
    # Someone else assigns it first, to another body.
    with console.api("operator") as api:
        other = "Департамент транспорта города Ростова-на-Дону"
        assert api.post(f"/api/v1/complaints/{complaint}/assignment", json={"organisation": other}).status_code == 200
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.get_by_role("button", name="Назначить исполнителя").click()
    assert posted.value.status == 412
    expect(page.get_by_role("alert")).to_contain_text("обращение изменили")
    expect(page.locator("#organisation")).to_have_text(other)
    expect(page.locator("#status")).to_have_text("Назначено")
    page.screenshot(path=screenshot_path("card-changed-meanwhile"), full_page=True)
    context.close()


def test_the_queue_and_the_card_fit_a_tablet(chromium: Browser, console: Console) -> None:
    complaint = console.register("call/e2e-6", "Во дворе не убран снег, не пройти к подъезду", "ул. Зорге, 33", 45)
    context = chromium.new_context(
        viewport={"width": 768, "height": 1024},
        locale="ru-RU",
        extra_http_headers={"Authorization": f"Bearer {console.tokens['operator']}"},
    )
    page = context.new_page()
    for path, name in [("/queue", "queue-tablet"), (f"/complaints/{complaint}", "card-tablet")]:
        page.goto(f"{console.base}{path}")
        # The page itself never scrolls sideways; a wide table scrolls within its own box.
        assert page.evaluate("document.documentElement.scrollWidth") <= 768
        page.screenshot(path=screenshot_path(name), full_page=True)
    context.close()
