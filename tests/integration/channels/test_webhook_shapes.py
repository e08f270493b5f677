"""Webhook payloads that carry our secret but not the shape of the network's schema: 400
problem+json (which the network does not repeat), nothing recorded, nothing registered."""

import pytest
from litestar.testing import TestClient

from adapters.telegram.webhook import SECRET_HEADER
from interfaces.bootstrap import Services
from tests.integration.channels.conftest import CHAT, COMMUNITY, TG_SECRET, VK_SECRET, Networks


def _nothing_recorded(services: Services) -> None:
    assert services.channels.outbox.waiting() == 0
    assert services.complaints.recorder.max_notification_id() is None


def _without(item: dict, key: str) -> dict:
    return {k: v for k, v in item.items() if k != key}


@pytest.mark.parametrize(
    "spoil",
    [
        lambda event: {**event, "object": _without(event["object"], "from_id")},
        lambda event: {**event, "object": {**event["object"], "id": "1/../../x"}},
        lambda event: {**event, "object": {**event["object"], "date": "вчера"}},
        lambda event: _without(event, "object"),
        lambda event: _without(event, "event_id"),
    ],
    ids=["no author", "id as a string", "date as a string", "no object", "no event id"],
)
def test_a_vk_callback_without_the_schemas_shape_is_a_400(
    client: TestClient, networks: Networks, services: Services, spoil
) -> None:
    post = networks.vk.add_post(owner_id=-COMMUNITY, from_id=3105, text="Мусор не вывозят, Мясникяна 12")
    answer = client.post("/hooks/vk", json=spoil(networks.vk.callback("wall_post_new", post, secret=VK_SECRET)))
    assert answer.status_code == 400
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert "Мясникяна" not in answer.text
    _nothing_recorded(services)


def test_a_vk_comment_callback_must_name_its_post(client: TestClient, networks: Networks, services: Services) -> None:
    post = networks.vk.add_post(owner_id=-COMMUNITY, from_id=3105, text="Новости")
    comment = networks.vk.add_comment(owner_id=-COMMUNITY, post_id=post["id"], from_id=3106, text="Яма, Стачки 5")
    event = networks.vk.callback("wall_reply_new", comment, secret=VK_SECRET)
    answer = client.post("/hooks/vk", json={**event, "object": _without(comment, "post_id")})
    assert answer.status_code == 400
    assert "post_id" in answer.json()["detail"]
    _nothing_recorded(services)


def test_a_malformed_callback_without_our_secret_is_still_a_403(client: TestClient, services: Services) -> None:
    answer = client.post("/hooks/vk", json={"type": "wall_post_new", "group_id": COMMUNITY, "secret": "guess"})
    assert answer.status_code == 403


@pytest.mark.parametrize(
    "spoil",
    [
        lambda message: {**message, "message_id": "1/../../x"},
        lambda message: {**message, "chat": {"id": str(CHAT), "type": "supergroup"}},
        lambda message: {**message, "from": {"id": 42}},
        lambda message: _without(message, "chat"),
        lambda message: _without(message, "date"),
    ],
    ids=["message id as a path", "chat id as a string", "sender without is_bot", "no chat", "no date"],
)
def test_a_telegram_update_without_the_specs_shape_is_a_400(
    client: TestClient, networks: Networks, services: Services, spoil
) -> None:
    update = networks.telegram.message(chat_id=CHAT, from_id=42, text="Мусор не вывозят, Мясникяна 12")
    spoiled = {**update, "message": spoil(update["message"])}
    answer = client.post("/hooks/telegram", json=spoiled, headers={SECRET_HEADER: TG_SECRET})
    assert answer.status_code == 400
    assert answer.headers["content-type"].startswith("application/problem+json")
    _nothing_recorded(services)
