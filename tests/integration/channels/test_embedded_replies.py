"""`mcu serve` answers the citizen by itself whenever a channel is configured, and a reply process
running beside it (`mcu replies`) never makes a citizen read the same reply twice."""

import logging
import threading
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

from litestar.testing import TestClient
from pydantic import SecretStr

from adapters.clock import ManualClock
from adapters.config import Settings
from adapters.telegram.webhook import SECRET_HEADER
from application.commands import Register, RequestClarification
from domain.delivery import DeliveryState
from interfaces.bootstrap import bootstrap
from interfaces.http.app import create_app
from tests.fakes.triage import ScriptedTriage
from tests.fixtures import START
from tests.integration.channels.conftest import CHAT, TG_SECRET, Networks

DEFAULT = Settings.model_fields["replies_embedded"].default


def _wait_for(condition, what: str, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"{what} did not happen within {timeout} s"
        time.sleep(0.05)


def test_by_default_the_server_sends_the_replies_of_a_configured_channel(
    networks: Networks, clock: ManualClock, tmp_path: Path
) -> None:
    settings = networks.settings(store="sqlite", data_dir=tmp_path, replies_embedded=DEFAULT)
    services = bootstrap(settings, clock=clock, triage=ScriptedTriage())
    try:
        assert services.channels.embeds_replies
        with TestClient(create_app(services)) as client:
            update = networks.telegram.message(chat_id=CHAT, from_id=42, text="Опять нет горячей воды!")
            assert client.post("/hooks/telegram", json=update, headers={SECRET_HEADER: TG_SECRET}).status_code == 200
            # Nobody steps a reply worker here: the server's own asks the author for the address.
            _wait_for(lambda: networks.telegram.sent, "the clarification request reaching Telegram")
            [sent] = networks.telegram.sent
            assert sent["chat_id"] == CHAT and "Номер обращения" in sent["text"]
            _wait_for(lambda: services.channels.reply_watch.status().running, "the heartbeat")
            clock.advance(timedelta(seconds=10))  # past the moment the watch remembers
            time.sleep(1.1)  # /health's last reading, kept a second in real time
            health = client.get("/health").json()
            assert health["replies"] == "sending" and "telegram" in health["channels"]
    finally:
        services.close()


def test_without_a_channel_or_when_turned_off_the_server_sends_nothing_itself(
    networks: Networks, tmp_path: Path
) -> None:
    off = networks.settings(store="sqlite", data_dir=tmp_path, replies_embedded=False)
    plain = Settings(store="sqlite", data_dir=tmp_path / "plain", replies_embedded=DEFAULT)
    for settings in (off, plain):
        services = bootstrap(settings)
        try:
            assert not services.channels.embeds_replies
        finally:
            services.close()


def test_two_reply_processes_on_one_store_send_each_reply_once(networks: Networks, tmp_path: Path) -> None:
    """The server's embedded process and `mcu replies` on the same store, both passing at once:
    each delivery is claimed (a recorded version) before the network is called, so the one that
    loses the claim skips it."""
    settings = networks.settings(store="sqlite", data_dir=tmp_path)
    clock = ManualClock(START)
    first, second = (bootstrap(settings, clock=clock, triage=ScriptedTriage()) for _ in range(2))
    try:
        for number in range(40):
            registration = first.complaints.register(
                Register(
                    channel="telegram",
                    source_ref=f"{CHAT}/{500 + number}",
                    author_ref=f"tg:{700 + number}",
                    text="Опять нет горячей воды",
                    received_at=START - timedelta(minutes=5),
                    actor="intake:telegram",
                )
            )
            first.complaints.handle(
                RequestClarification(registration.complaint_id, question="Уточните адрес", actor="op")
            )
        workers = [first.channels.reply_worker(), second.channels.reply_worker()]
        start = threading.Barrier(len(workers))
        failures: list[BaseException] = []

        def passes(worker) -> None:
            start.wait()
            try:
                for _ in range(20):
                    worker.step()
            except BaseException as error:  # noqa: BLE001 - reported by the test below
                failures.append(error)

        threads = [threading.Thread(target=passes, args=(worker,)) for worker in workers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert not failures, failures
        sent = Counter(message["reply_parameters"]["message_id"] for message in networks.telegram.sent)
        assert len(sent) == 40 and set(sent.values()) == {1}
        counts = first.channels.replies.delivery_counts()
        assert counts[DeliveryState.SENT] == 40
    finally:
        first.close()
        second.close()


class _Kept(logging.Handler):
    """The replies' log records, held here: Litestar's logging set-up takes the root's handlers."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def test_the_start_up_log_names_the_channels_and_whether_replies_go_out_without_a_secret(
    networks: Networks, tmp_path: Path
) -> None:
    everything = networks.settings(store="sqlite", data_dir=tmp_path / "all", replies_embedded=DEFAULT)
    # Telegram's webhook takes posts by its secret, but without the bot's token nothing answers them.
    webhook_only = Settings(
        store="sqlite", data_dir=tmp_path / "hook", telegram_webhook_secret=TG_SECRET, replies_embedded=DEFAULT
    )
    plain = Settings(store="sqlite", data_dir=tmp_path / "plain", replies_embedded=DEFAULT)
    logger, kept = logging.getLogger("mcu.replies"), _Kept()
    level = logger.level
    logger.addHandler(kept)
    logger.setLevel(logging.INFO)
    try:
        for settings in (everything, webhook_only, plain):
            services = bootstrap(settings, triage=ScriptedTriage())
            try:
                with TestClient(create_app(services)):
                    pass
            finally:
                services.close()
    finally:
        logger.removeHandler(kept)
        logger.setLevel(level)
    said = [(r.levelname, r.getMessage()) for r in kept.records if r.getMessage().startswith("replies: ")]
    assert said == [
        ("INFO", "replies: channels configured: gosuslugi, ok, telegram, vk; replies sent from this process"),
        (
            "WARNING",
            "replies: channels configured: telegram; replies sent from this process; "
            "no reply gateway (token) for telegram: their replies fail",
        ),
        ("WARNING", "replies: no channel is configured: no reply reaches a citizen (docs/channels.md)"),
    ]
    logged = "\n".join(record.getMessage() for record in kept.records)
    secrets = [value.get_secret_value() for value in everything.model_dump().values() if isinstance(value, SecretStr)]
    assert all(secret not in logged for secret in secrets if secret) and TG_SECRET not in logged
