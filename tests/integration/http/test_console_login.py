"""The console's people: logging in with a one-time code then a password, the session cookie,
CSRF on every console form, failed logins held back, idle sessions and deactivated accounts."""

import re
from collections.abc import Callable
from datetime import timedelta

from litestar.testing import TestClient

from adapters.clock import ManualClock
from adapters.config import Settings
from interfaces.bootstrap import Services, bootstrap
from interfaces.http.app import create_app
from interfaces.web.sessions import COOKIE
from tests.support.console_login import csrf_of

PASSWORD = "длинный пароль 42"


def _log_in(browser: TestClient, login: str, secret: str, next: str = "/account"):
    token = csrf_of(browser.get("/login").text)
    return browser.post("/login", data={"login": login, "password": secret, "next": next, "_csrf_token": token})


def _first_login(browser: TestClient, services: Services, login: str = "anna", **account: str) -> None:
    opened = services.accounts.open(login=login, name=account.get("name", "Анна Петрова"), role="operator")
    page = _log_in(browser, login, opened.code)
    assert page.status_code == 200 and "Задайте свой пароль" in page.text
    done = browser.post(
        "/login/password",
        data={
            "login": login,
            "code": opened.code,
            "password": PASSWORD,
            "again": PASSWORD,
            "next": "/account",
            "_csrf_token": csrf_of(page.text),
        },
    )
    assert (done.status_code, done.headers["location"]) == (303, "/account")


def test_a_browser_without_a_session_is_sent_to_log_in_and_back(browser: TestClient) -> None:
    response = browser.get("/account?tab=1")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/account?tab=1"


def test_the_one_time_code_sets_the_password_which_then_logs_in(browser: TestClient, services: Services) -> None:
    _first_login(browser, services)
    assert "Анна Петрова" in browser.get("/account").text
    browser.cookies.clear()
    assert _log_in(browser, "anna", PASSWORD).status_code == 303
    assert "оператор" in browser.get("/account").text


def test_the_code_works_once(browser: TestClient, services: Services) -> None:
    opened = services.accounts.open(login="boris", name="Борис", role="auditor")
    services.accounts.set_password("boris", code=opened.code, password=PASSWORD)
    assert _log_in(browser, "boris", opened.code).status_code == 401


def test_a_code_older_than_its_lifetime_is_refused_with_what_to_do(
    browser: TestClient, services: Services, clock: ManualClock
) -> None:
    opened = services.accounts.open(login="vera", name="Вера", role="operator")
    clock.advance(services.accounts.code_lifetime + timedelta(seconds=1))

    refused = _log_in(browser, "vera", opened.code)

    assert refused.status_code == 401
    assert "Срок одноразового кода истёк" in refused.text and "старшего смены" in refused.text
    assert "Задайте свой пароль" not in refused.text
    fresh = services.accounts.new_code("vera")
    clock.advance(timedelta(seconds=2))  # past the wait after a failed login
    assert _log_in(browser, "vera", fresh).status_code == 200


def test_a_code_that_expires_while_the_password_form_is_open_sets_no_password(
    browser: TestClient, services: Services, clock: ManualClock
) -> None:
    opened = services.accounts.open(login="gleb", name="Глеб", role="operator")
    clock.advance(services.accounts.code_lifetime - timedelta(minutes=1))
    form = _log_in(browser, "gleb", opened.code)
    assert "Задайте свой пароль" in form.text
    clock.advance(timedelta(minutes=2))

    refused = browser.post(
        "/login/password",
        data={
            "login": "gleb",
            "code": opened.code,
            "password": PASSWORD,
            "again": PASSWORD,
            "next": "/account",
            "_csrf_token": csrf_of(form.text),
        },
    )

    assert refused.status_code == 401 and "Срок одноразового кода истёк" in refused.text
    assert services.accounts.by_login("gleb").password_hash is None


def test_the_session_cookie_is_http_only_and_same_site(browser: TestClient, services: Services) -> None:
    opened = services.accounts.open(login="vera", name="Вера", role="supervisor")
    services.accounts.set_password("vera", code=opened.code, password=PASSWORD)
    cookie = _log_in(browser, "vera", PASSWORD).headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}=") and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "Secure" not in cookie


def test_a_wrong_password_is_refused_then_slowed_then_locked_out(
    browser: TestClient, services: Services, clock: ManualClock
) -> None:
    opened = services.accounts.open(login="gleb", name="Глеб", role="operator")
    services.accounts.set_password("gleb", code=opened.code, password=PASSWORD)
    refused = _log_in(browser, "gleb", "не тот пароль")
    assert refused.status_code == 401 and "Неверный логин или пароль" in refused.text
    # Held back a second: even the right password waits.
    held = _log_in(browser, "gleb", PASSWORD)
    assert held.status_code == 401 and "Слишком много неудачных попыток" in held.text
    for _ in range(4):
        clock.advance(timedelta(minutes=1))
        assert _log_in(browser, "gleb", "не тот пароль").status_code == 401
    clock.advance(timedelta(minutes=10))
    assert "Слишком много неудачных попыток" in _log_in(browser, "gleb", PASSWORD).text
    clock.advance(timedelta(minutes=6))
    assert _log_in(browser, "gleb", PASSWORD).status_code == 303


def test_a_console_form_without_its_csrf_token_is_refused(browser: TestClient, services: Services) -> None:
    _first_login(browser, services)
    assert browser.post("/logout", data={}).status_code == 403
    assert browser.post("/logout", data={"_csrf_token": "forged"}).status_code == 403
    assert browser.get("/account").status_code == 200  # still logged in
    token = csrf_of(browser.get("/account").text)
    assert browser.post("/logout", data={"_csrf_token": token}).status_code == 303
    assert browser.get("/account").status_code == 303


def test_the_login_form_itself_needs_its_token(browser: TestClient, services: Services) -> None:
    opened = services.accounts.open(login="dina", name="Дина", role="operator")
    services.accounts.set_password("dina", code=opened.code, password=PASSWORD)
    response = browser.post("/login", data={"login": "dina", "password": PASSWORD, "next": "/"})
    assert response.status_code == 403 and COOKIE not in response.headers.get("set-cookie", "")


def test_an_idle_session_ends_after_the_setting(browser: TestClient, services: Services, clock: ManualClock) -> None:
    _first_login(browser, services)
    clock.advance(timedelta(hours=7, minutes=59))
    assert browser.get("/account").status_code == 200  # and used again: idle counts from here
    clock.advance(timedelta(hours=7, minutes=59))
    assert browser.get("/account").status_code == 200
    clock.advance(timedelta(hours=8, minutes=1))
    assert browser.get("/account").status_code == 303


def test_deactivating_an_account_logs_it_out(browser: TestClient, services: Services) -> None:
    _first_login(browser, services)
    services.accounts.deactivate("anna")
    assert browser.get("/account").status_code == 303
    assert _log_in(browser, "anna", PASSWORD).status_code == 401


def test_a_session_cookie_never_authenticates_an_api_call(browser: TestClient, services: Services) -> None:
    _first_login(browser, services)
    assert browser.get("/api/v1/complaints").status_code == 401


def test_two_people_of_one_name_act_as_two_accounts(services: Services) -> None:
    from application.access import Principal

    first = services.accounts.open(login="anna1", name="Анна", role="operator").account
    second = services.accounts.open(login="anna2", name="Анна", role="operator").account
    assert Principal.of(first).actor != Principal.of(second).actor
    assert Principal.of(first).actor == f"operator:Анна#{first.id}"


def test_next_never_leads_off_the_site(browser: TestClient, services: Services) -> None:
    opened = services.accounts.open(login="egor", name="Егор", role="operator")
    services.accounts.set_password("egor", code=opened.code, password=PASSWORD)
    assert _log_in(browser, "egor", PASSWORD, next="//evil.example/").headers["location"] == "/"


def test_a_session_opened_by_one_worker_is_known_to_another_and_after_a_restart(
    durable_settings: Settings, clock: ManualClock
) -> None:
    first = bootstrap(durable_settings, clock=clock)
    try:
        with TestClient(create_app(first)) as browser:
            browser.follow_redirects = False
            _first_login(browser, first)
            cookie = browser.cookies[COOKIE]
    finally:
        first.close()
    second = bootstrap(durable_settings, clock=clock)
    try:
        with TestClient(create_app(second), cookies={COOKIE: cookie}) as browser:
            browser.follow_redirects = False
            assert "Анна Петрова" in browser.get("/account").text
    finally:
        second.close()


def test_the_head_of_shift_opens_accounts_and_revokes_tokens_in_the_console(
    browser: TestClient, services: Services, auth: Callable[..., dict[str, str]]
) -> None:
    head = services.accounts.open(login="head", name="Старший смены", role="supervisor")
    services.accounts.set_password("head", code=head.code, password=PASSWORD)
    assert _log_in(browser, "head", PASSWORD).status_code == 303
    page = browser.get("/accounts")
    form = {"login": "ivan", "name": "Иван Сидоров", "role": "executor", "organisation": "ДГХ"}
    opened = browser.post("/accounts", data={**form, "_csrf_token": csrf_of(page.text)})
    code = re.search(r"<code>([0-9a-f-]+)</code>", opened.text)
    assert opened.status_code == 200 and code is not None
    assert "Код действует до 29.11.2026 " in opened.text  # a day from the clock's 28.11, Moscow time
    assert services.accounts.verify("ivan", code.group(1)).needs_password
    headers = auth("operator")
    token_id = services.access.authenticate(headers["Authorization"].split()[1]).token_id
    revoked = browser.post(f"/tokens/{token_id}/revocation", data={"_csrf_token": csrf_of(page.text)})
    assert revoked.status_code == 303
    assert browser.get("/api/v1/complaints", headers=headers).status_code == 401


def test_the_head_of_shift_issues_a_token_seen_once_and_acting_as_its_account(
    browser: TestClient, services: Services
) -> None:
    head = services.accounts.open(login="head", name="Старший смены", role="supervisor")
    services.accounts.set_password("head", code=head.code, password=PASSWORD)
    services.accounts.open(login="vk", name="Адаптер VK", role="intake")
    assert _log_in(browser, "head", PASSWORD).status_code == 303
    page = browser.get("/accounts")
    form = {"account": "vk", "name": "адаптер VK", "role": "intake", "channel": "vk"}

    without_csrf = browser.post("/tokens", data=form)
    issued = browser.post("/tokens", data={**form, "_csrf_token": csrf_of(page.text)})

    assert without_csrf.status_code == 403
    token = re.search(r'<code class="secret">(mcu_[^<]+)</code>', issued.text)
    assert issued.status_code == 200 and token is not None
    assert "больше показан не будет" in issued.text and issued.headers["cache-control"] == "no-store"
    holder = services.access.authenticate(token.group(1))
    assert holder is not None and holder.actor.startswith("intake:Адаптер VK#") and holder.channels == {"vk"}
    listed = browser.get("/accounts").text
    assert "адаптер VK" in listed and token.group(1) not in listed


def test_a_token_the_rules_refuse_is_said_and_none_issued(browser: TestClient, services: Services) -> None:
    head = services.accounts.open(login="head", name="Старший смены", role="supervisor")
    services.accounts.set_password("head", code=head.code, password=PASSWORD)
    assert _log_in(browser, "head", PASSWORD).status_code == 303
    page = browser.get("/accounts")

    refused = browser.post(
        "/tokens", data={"account": "head", "name": "без каналов", "role": "intake", "_csrf_token": csrf_of(page.text)}
    )

    assert refused.status_code == 422 and "Не выполнено" in refused.text
    assert not list(services.access.tokens())


def test_only_the_head_of_shift_manages_accounts(browser: TestClient, services: Services) -> None:
    _first_login(browser, services)
    assert browser.get("/accounts").status_code == 403
    csrf = csrf_of(browser.get("/account").text)
    form = {"account": "anna", "name": "свой токен", "_csrf_token": csrf}
    assert browser.post("/tokens", data=form).status_code == 403
    assert not list(services.access.tokens())
