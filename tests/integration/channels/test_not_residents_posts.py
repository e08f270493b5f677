"""What is not a resident's post is ignored: not registered, not triaged, not counted as
screened. The administration's own words in every form the networks give them (a community's
post or comment on VK; the channel, its automatic forwards, an anonymous admin, a bot on
Telegram), commands to our bot and Telegram's service messages. Each is delivered as the
network shapes it (checked against VK's schema and the Bot API spec by the fakes), carrying a
complaint's words, beside a resident's post that is registered."""

from typing import Any

from litestar.testing import TestClient

from adapters.telegram.webhook import SECRET_HEADER
from interfaces.bootstrap import Services
from tests.fakes.telegram import BOT
from tests.fakes.triage import ScriptedTriage
from tests.fixtures import START
from tests.integration.channels.conftest import CHAT, COMMUNITY, TG_SECRET, VK_SECRET, Networks, taken

WORDS = "Мусор не вывозят, Мясникяна 12"
RESIDENT = {"id": 42, "is_bot": False, "first_name": "Житель"}
GROUP = {"id": CHAT, "type": "supergroup", "title": "Обсуждение новостей Ростова"}
CHANNEL = {"id": -1009876543210, "type": "channel", "title": "Администрация Ростова"}
# The accounts Telegram itself puts in ``from`` for messages sent on behalf of a chat.
TELEGRAM_SERVICE = {"id": 777000, "is_bot": False, "first_name": "Telegram"}
CHANNEL_BOT = {"id": 136817688, "is_bot": True, "first_name": "Channel", "username": "Channel_Bot"}
ANONYMOUS_ADMIN = {"id": 1087968824, "is_bot": True, "first_name": "Group", "username": "GroupAnonymousBot"}
INLINE_BOT = {"id": 5000001, "is_bot": True, "first_name": "Опросы", "username": "vote"}


def _screened(services: Services, channel: str) -> list:
    today = services.clock.now().date()
    return services.channels.records.screening(channels=[channel], first=today, last=today)


def _only_the_resident_was_taken(services: Services, triage: ScriptedTriage, channel: str, ref: str) -> None:
    taken(services)
    assert [text for text, _ in triage.assessed] == [WORDS]
    assert services.complaints.get(services.complaints.id_of(channel, ref)).text == WORDS
    assert _screened(services, channel) == []


def test_vk_the_communitys_own_posts_and_any_communitys_comments_are_not_residents(
    client: TestClient, networks: Networks, services: Services, triage: ScriptedTriage
) -> None:
    vk = networks.vk
    news = vk.add_post(owner_id=-COMMUNITY, from_id=-COMMUNITY, text=WORDS)
    scheduled = vk.add_post(owner_id=-COMMUNITY, from_id=-COMMUNITY, text=WORDS, post_type="postpone")
    ours = vk.add_comment(owner_id=-COMMUNITY, post_id=news["id"], from_id=-COMMUNITY, text=WORDS)
    # Another community answering in the thread (a city service, or ours in a public's wall).
    theirs = vk.add_comment(owner_id=-COMMUNITY, post_id=news["id"], from_id=-555, text=WORDS)
    resident = vk.add_post(owner_id=-COMMUNITY, from_id=3105, text=WORDS)
    events = [
        vk.callback("wall_post_new", news, secret=VK_SECRET),
        vk.callback("wall_post_new", scheduled, secret=VK_SECRET),
        vk.callback("wall_reply_new", ours, secret=VK_SECRET),
        vk.callback("wall_reply_new", theirs, secret=VK_SECRET),
        vk.callback("wall_post_new", resident, secret=VK_SECRET),
    ]
    for event in events:
        answer = client.post("/hooks/vk", json=event)
        assert (answer.status_code, answer.text) == (200, "ok")
    _only_the_resident_was_taken(services, triage, "vk", f"wall-{COMMUNITY}_{resident['id']}")


def test_vk_polling_skips_the_communitys_comments_too(
    networks: Networks, services: Services, triage: ScriptedTriage, source
) -> None:
    news = networks.vk.add_post(owner_id=-COMMUNITY, from_id=-COMMUNITY, text="Новости: открыт новый сквер")
    networks.vk.add_comment(owner_id=-COMMUNITY, post_id=news["id"], from_id=-555, text=WORDS)
    networks.vk.add_comment(owner_id=-COMMUNITY, post_id=news["id"], from_id=-COMMUNITY, text=WORDS)
    resident = networks.vk.add_comment(owner_id=-COMMUNITY, post_id=news["id"], from_id=3105, text=WORDS)
    assert services.channels.poller().poll_once(source(f"vk:wall:{COMMUNITY}")) == 1
    ref = f"wall-{COMMUNITY}_{news['id']}/{resident['id']}"
    _only_the_resident_was_taken(services, triage, "vk", ref)


def _message(networks: Networks, **fields: Any) -> dict[str, Any]:
    return {
        "message_id": networks.telegram.next_message_id(),
        "date": int(START.timestamp()) - 3600,
        "chat": GROUP,
        **fields,
    }


def _not_residents(networks: Networks) -> dict[str, dict[str, Any]]:
    """Messages as Telegram delivers them, none of them a resident's words."""
    pinned = _message(networks, **{"from": RESIDENT}, text=WORDS)
    command = {"type": "bot_command", "offset": 0, "length": 6}
    return {
        "a command": _message(networks, **{"from": RESIDENT}, text=f"/start {WORDS}", entities=[command]),
        "a command to our bot by name": _message(
            networks, **{"from": RESIDENT}, text="/start@mcu_rostov_bot", entities=[{**command, "length": 21}]
        ),
        "a member joined": _message(networks, **{"from": RESIDENT}, new_chat_members=[RESIDENT]),
        "a message pinned": _message(networks, **{"from": RESIDENT}, pinned_message=pinned),
        "a topic opened": _message(
            networks,
            **{"from": RESIDENT},
            forum_topic_created={"name": WORDS, "icon_color": 7322096},
            is_topic_message=True,
            message_thread_id=7,
        ),
        "the channel's post forwarded into its chat": _message(
            networks, **{"from": TELEGRAM_SERVICE}, sender_chat=CHANNEL, is_automatic_forward=True, text=WORDS
        ),
        "the channel writing in its chat": _message(networks, **{"from": CHANNEL_BOT}, sender_chat=CHANNEL, text=WORDS),
        "an anonymous admin": _message(
            networks, **{"from": ANONYMOUS_ADMIN}, sender_chat=GROUP, author_signature="Пресс-служба", text=WORDS
        ),
        "a bot": _message(networks, **{"from": BOT}, text=WORDS),
        "through an inline bot": _message(networks, **{"from": RESIDENT}, via_bot=INLINE_BOT, text=WORDS),
    }


def test_telegram_the_administration_bots_commands_and_service_messages_are_not_residents(
    client: TestClient, networks: Networks, services: Services, triage: ScriptedTriage
) -> None:
    for what, message in _not_residents(networks).items():
        answer = client.post(
            "/hooks/telegram", json=networks.telegram.update(message=message), headers={SECRET_HEADER: TG_SECRET}
        )
        assert (answer.status_code, answer.json()) == (200, {"ok": True}), what
    resident = networks.telegram.message(chat_id=CHAT, from_id=RESIDENT["id"], text=WORDS)
    assert client.post("/hooks/telegram", json=resident, headers={SECRET_HEADER: TG_SECRET}).status_code == 200
    _only_the_resident_was_taken(services, triage, "telegram", f"{CHAT}/{resident['message']['message_id']}")


def test_telegram_polling_skips_them_alike(
    networks: Networks, services: Services, triage: ScriptedTriage, source
) -> None:
    for message in _not_residents(networks).values():
        networks.telegram.update(message=message)
    resident = networks.telegram.message(chat_id=CHAT, from_id=RESIDENT["id"], text=WORDS)
    assert services.channels.poller().poll_once(source("telegram:updates")) == 1
    _only_the_resident_was_taken(services, triage, "telegram", f"{CHAT}/{resident['message']['message_id']}")
