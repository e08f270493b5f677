"""`mcu replies` killed with SIGKILL between the network's acceptance and the record.

The fakes accept the reply and then hold their answer; the process dies waiting. After a
restart the reply is not sent again: VK's comment is found in the thread and recorded as
sent, and Telegram's, which the Bot API cannot look up, is left unconfirmed for an operator.
"""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from adapters.config import Settings
from application.commands import Register, RequestClarification
from domain.delivery import DeliveryState
from interfaces.bootstrap import Services, bootstrap
from tests.fakes.telegram import Fault as TelegramFault
from tests.fakes.triage import ScriptedTriage
from tests.fakes.vk import Fault as VkFault
from tests.integration.channels.conftest import CHAT, COMMUNITY, Networks

MCU = Path(sys.executable).with_name("mcu")


def _wait_for(condition: Callable[[], bool], what: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def _replies(workdir: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [str(MCU), "replies", "--tick", "0.1"], cwd=workdir, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )


def _states(settings: Settings) -> dict[str, str]:
    services = bootstrap(settings, triage=ScriptedTriage())
    try:
        return {d.channel: d.state.value for d in services.channels.replies.deliveries(*DeliveryState)}
    finally:
        services.close()


def _ask(services: Services, channel: str, ref: str, author: str) -> None:
    registration = services.complaints.register(
        Register(
            channel=channel,
            source_ref=ref,
            author_ref=author,
            text="Опять нет горячей воды",
            received_at=datetime.now(UTC) - timedelta(minutes=5),
            actor=f"intake:{channel}",
        )
    )
    services.complaints.handle(
        RequestClarification(registration.complaint_id, question="Уточните адрес", actor=f"intake:{channel}")
    )


@pytest.mark.parametrize(("channel", "settled"), [("vk", "sent"), ("telegram", "unconfirmed")])
def test_a_reply_is_not_sent_twice_across_a_kill_of_the_reply_process(
    tmp_path: Path, networks: Networks, channel: str, settled: str
) -> None:
    data = tmp_path / "var"
    settings = networks.settings(store="sqlite", data_dir=data)
    env = {
        **os.environ,
        "MCU_STORE": "sqlite",
        "MCU_DATA_DIR": str(data),
        "MCU_VK_API_URL": networks.urls["vk"],
        "MCU_VK_SERVICE_TOKEN": "vk-service",
        "MCU_VK_COMMUNITY_TOKEN": "vk-community",
        "MCU_VK_COMMUNITY_ID": str(COMMUNITY),
        "MCU_TELEGRAM_API_URL": networks.urls["telegram"],
        "MCU_TELEGRAM_TOKEN": "123:tg-token",
        "MCU_CHANNEL_TIMEOUT_SECONDS": "60",
        "MCU_REPLY_LEASE_SECONDS": "1",
    }
    services = bootstrap(settings, triage=ScriptedTriage())
    try:
        if channel == "vk":
            post = networks.vk.add_post(owner_id=-COMMUNITY, from_id=3105, text="Опять нет горячей воды")
            _ask(services, "vk", f"wall{-COMMUNITY}_{post['id']}", "vk:id3105")
        else:
            _ask(services, "telegram", f"{CHAT}/15", "tg:42")
    finally:
        services.close()

    # The network takes the reply, then holds its answer far beyond the process's life.
    networks.vk.fail("wall.createComment", VkFault(act_first=True, delay=30))
    networks.telegram.fail("sendMessage", TelegramFault(status=0, act_first=True, delay=30))
    published = {"vk": lambda: networks.vk.created, "telegram": lambda: networks.telegram.sent}[channel]
    first = _replies(tmp_path, env)
    try:
        _wait_for(lambda: bool(published()), "the reply to reach the network")
        assert _states(settings) == {channel: "sending"}
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)

    second = _replies(tmp_path, env)
    try:
        _wait_for(lambda: _states(settings) == {channel: settled}, "the restarted process to settle it")
    finally:
        second.send_signal(signal.SIGTERM)
        assert second.wait(timeout=10) == 0, second.stderr.read().decode() if second.stderr else ""
    assert len(published()) == 1
    if channel == "vk":
        assert len(networks.vk.comments_by(-COMMUNITY)) == 1
