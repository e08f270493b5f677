"""Console sessions shared by several machines through Redis (MCU_SESSION_STORE=redis): two
apps with data folders of their own, on one PostgreSQL store, as two machines behind a balancer.

Needs the Redis at MCU_TEST_REDIS_URL (127.0.0.1:6379, database 15 by default); skips cleanly
where none answers.
"""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from litestar.testing import TestClient
from pydantic import SecretStr

from adapters.clock import ManualClock
from adapters.config import Settings
from interfaces.bootstrap import Services, bootstrap
from interfaces.http.app import create_app
from interfaces.web.sessions import COOKIE, REDIS_NAMESPACE
from tests.support.console_login import csrf_of

REDIS_URL = os.environ.get("MCU_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
PASSWORD = "длинный пароль 42"


@pytest.fixture
def redis_url() -> Iterator[str]:
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError:
        pytest.skip(f"no Redis at {REDIS_URL}")
    try:
        yield REDIS_URL
    finally:
        for key in client.scan_iter(f"{REDIS_NAMESPACE}*"):
            client.delete(key)
        client.close()


def _machine(settings: Settings, folder: Path, clock: ManualClock, store: str, url: str) -> Services:
    update = {"data_dir": folder, "session_store": store, "redis_url": SecretStr(url)}
    return bootstrap(settings.model_copy(update=update), clock=clock)


def _log_in(browser: TestClient, login: str, secret: str):
    token = csrf_of(browser.get("/login").text)
    return browser.post("/login", data={"login": login, "password": secret, "next": "/account", "_csrf_token": token})


@pytest.mark.parametrize("store", ["redis", "file"])
def test_a_login_on_one_machine_is_known_to_another_only_through_redis(
    postgres_settings: Settings, tmp_path: Path, clock: ManualClock, redis_url: str, store: str
) -> None:
    first = _machine(postgres_settings, tmp_path / "a", clock, store, redis_url)
    second = _machine(postgres_settings, tmp_path / "b", clock, store, redis_url)
    try:
        opened = first.accounts.open(login="anna", name="Анна Петрова", role="operator")
        first.accounts.set_password("anna", code=opened.code, password=PASSWORD)
        with TestClient(create_app(first)) as a, TestClient(create_app(second)) as b:
            a.follow_redirects = b.follow_redirects = False
            assert _log_in(a, "anna", PASSWORD).status_code == 303
            b.cookies[COOKIE] = a.cookies[COOKIE]

            seen = b.get("/account")

            if store == "file":  # each machine's own folder: the other has never heard of it
                assert seen.status_code == 303 and seen.headers["location"].startswith("/login")
                return
            assert seen.status_code == 200 and "Анна Петрова" in seen.text
            # A logout on the second machine ends the session on the first too.
            assert b.post("/logout", data={"_csrf_token": csrf_of(seen.text)}).status_code == 303
            assert a.get("/account").status_code == 303
            # A failed login on one machine holds the next try back on the other.
            a.cookies.clear()
            b.cookies.clear()
            assert _log_in(a, "anna", "не тот пароль").status_code == 401
            held = _log_in(b, "anna", PASSWORD)
            assert held.status_code == 401 and "Слишком много неудачных попыток" in held.text
    finally:
        first.close()
        second.close()
