"""Telegram through real HTTP: the webhook with its secret header, getUpdates, sendMessage replies."""

import pytest
from litestar.testing import TestClient

from adapters.telegram.webhook import SECRET_HEADER
from application.channels import ChannelRefused
from interfaces.bootstrap import Services
from tests.fakes.telegram import Fault
from tests.integration.channels.conftest import CHAT, TG_SECRET, Networks, taken

RESIDENT = 42


def complaint_of(services: Services, update: dict):
    message = update["message"]
    return services.complaints.get(services.complaints.id_of("telegram", f"{CHAT}/{message['message_id']}"))


def hook(client: TestClient, update: dict, secret: str | None = TG_SECRET):
    return client.post("/hooks/telegram", json=update, headers={SECRET_HEADER: secret} if secret else {})


@pytest.mark.parametrize("secret", [None, "tg-webhook-secreT"])
def test_the_webhook_refuses_requests_without_our_secret(
    client: TestClient, networks: Networks, secret: str | None
) -> None:
    update = networks.telegram.message(chat_id=CHAT, from_id=RESIDENT, text="Мусор, Мясникяна 12")
    assert hook(client, update, secret).status_code == 403


def test_an_update_by_webhook_and_again_by_getupdates_is_one_complaint(
    client: TestClient, networks: Networks, services: Services, source
) -> None:
    update = networks.telegram.message(chat_id=CHAT, from_id=RESIDENT, text="Мусор не вывозят, Мясникяна 12")
    assert hook(client, update).json() == {"ok": True}
    taken(services)
    view = complaint_of(services, update)
    assert view.status == "assigned"
    assert services.complaints.author_of(view.id).ref == f"tg:{RESIDENT}"
    poller = services.channels.poller()
    assert poller.poll_once(source("telegram:updates")) == 1
    assert complaint_of(services, update).version == view.version
    # The offset moved past the update: Telegram forgets it, and so does the next poll.
    assert poller.poll_once(source("telegram:updates")) == 0
    assert networks.telegram.calls[-1][1]["offset"] == update["update_id"] + 1


def test_messages_of_other_chats_bots_and_the_channel_itself_are_not_posts(
    client: TestClient, networks: Networks, services: Services
) -> None:
    elsewhere = networks.telegram.message(chat_id=-100999, from_id=RESIDENT, text="Мусор, Мясникяна 12")
    forwarded = networks.telegram.message(chat_id=CHAT, from_id=RESIDENT, text="Мусор, Мясникяна 14")
    forwarded["message"]["is_automatic_forward"] = True
    for update in (elsewhere, forwarded):
        assert hook(client, update).status_code == 200
    taken(services)
    assert (
        services.channels.records.screening(
            channels=["telegram"], first=services.clock.now().date(), last=services.clock.now().date()
        )
        == []
    )
    with pytest.raises(Exception, match="no complaint"):
        complaint_of(services, forwarded)


def test_the_clarification_is_a_reply_to_the_message_and_the_answer_to_it_proceeds(
    client: TestClient, networks: Networks, services: Services
) -> None:
    update = networks.telegram.message(chat_id=CHAT, from_id=RESIDENT, text="Опять нет горячей воды!")
    hook(client, update)
    taken(services)
    services.channels.reply_worker().step()
    [sent] = networks.telegram.sent
    assert sent["chat_id"] == CHAT
    assert sent["reply_parameters"] == {
        "message_id": update["message"]["message_id"],
        "allow_sending_without_reply": True,
    }
    bot_message = {"message_id": 11, "date": 1, "chat": {"id": CHAT, "type": "supergroup"}, "text": sent["text"]}
    # The author answers the bot's message, not their own: found through the published reply.
    answer = networks.telegram.message(chat_id=CHAT, from_id=RESIDENT, text="Беляева 22", reply_to=bot_message)
    hook(client, answer)
    taken(services)
    view = complaint_of(services, update)
    assert (view.status, view.address) == ("assigned", "улица Беляева, 22")


def test_flood_control_is_waited_out_as_telegram_says(networks: Networks, services: Services, source) -> None:
    networks.telegram.message(chat_id=CHAT, from_id=RESIDENT, text="Мусор не вывозят, Мясникяна 12")
    networks.telegram.fail("getUpdates", Fault(status=429, retry_after=0))
    assert services.channels.poller().poll_once(source("telegram:updates")) == 1


def test_polling_while_a_webhook_is_set_is_refused(networks: Networks, services: Services, source) -> None:
    networks.telegram.fail(
        "getUpdates", Fault(status=409, description="Conflict: can't use getUpdates method while webhook is active")
    )
    with pytest.raises(ChannelRefused, match="409"):
        services.channels.poller().poll_once(source("telegram:updates"))
