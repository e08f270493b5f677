"""Every network's fake running on loopback, and settings that point the service at them."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from adapters.config import Settings
from tests.fakes.http import FakeServer
from tests.fakes.ok import FakeOk
from tests.fakes.pos import FakePos
from tests.fakes.schemas import telegram_spec, vk_schema
from tests.fakes.telegram import FakeTelegram
from tests.fakes.vk import FakeVk

COMMUNITY = 77001  # the administration's VK community
VK_SECRET, TG_SECRET = "vk-callback-secret", "tg-webhook-secret"
OK_GROUP = "54321098765432"
CHAT = -1001234567890


@dataclass
class Networks:
    vk: FakeVk
    telegram: FakeTelegram
    ok: FakeOk
    pos: FakePos
    urls: dict[str, str]

    def settings(self, **overrides: object) -> Settings:
        values: dict[str, object] = dict(
            store="memory",
            vk_api_url=self.urls["vk"],
            vk_service_token="vk-service",
            vk_community_token="vk-community",
            vk_community_id=COMMUNITY,
            vk_callback_secret=VK_SECRET,
            vk_confirmation_code="a1b2c3d4",
            vk_walls=[COMMUNITY],
            vk_search_queries=["ростов"],
            telegram_api_url=self.urls["telegram"],
            telegram_token="123:tg-token",
            telegram_webhook_secret=TG_SECRET,
            telegram_chats=[CHAT],
            telegram_polling=True,
            telegram_poll_wait_seconds=0,
            ok_api_url=self.urls["ok"],
            ok_application_key="CBAFKEYABABABA",
            ok_secret_key="ok-secret",
            ok_access_token="ok-token",
            ok_group_id=OK_GROUP,
            pos_api_url=self.urls["pos"],
            pos_token="pos-token",
            channel_timeout_seconds=1.0,
            channel_attempts=3,
            channel_backoff_seconds=0.01,
            channel_backoff_cap_seconds=0.05,
            channel_max_inline_wait_seconds=0.1,
            reply_lease_seconds=30,
            # The tests step the reply process themselves; one in the app's background would race them.
            replies_embedded=False,
        )
        values.update(overrides)
        return Settings(**values)


@contextmanager
def running_networks() -> Iterator[Networks]:
    fakes = {
        "vk": FakeVk(
            schema=vk_schema(), service_token="vk-service", community_token="vk-community", community_id=COMMUNITY
        ),
        "telegram": FakeTelegram(spec=telegram_spec(), token="123:tg-token"),
        "ok": FakeOk(
            application_key="CBAFKEYABABABA", secret_key="ok-secret", access_token="ok-token", group_id=OK_GROUP
        ),
        "pos": FakePos(token="pos-token"),
    }
    servers = {name: FakeServer(fake.handle) for name, fake in fakes.items()}
    for server in servers.values():
        server.__enter__()
    try:
        yield Networks(**fakes, urls={name: server.url for name, server in servers.items()})
    finally:
        for server in servers.values():
            server.__exit__(None, None, None)
