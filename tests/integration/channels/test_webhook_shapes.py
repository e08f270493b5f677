"""Webhook payloads that carry our secret but not the shape of the network's schema: 400
problem+json (which the network does not repeat), nothing recorded, nothing registered."""

from copy import deepcopy

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
        lambda event: {**event, "object": {}},
        lambda event: {**event, "type": "wall_post_news"},
        lambda event: {**event, "group_id": str(COMMUNITY)},
        lambda event: {**event, "v": 5.199},
        lambda event: {**event, "object": {**event["object"], "text": 12}},
        lambda event: {**event, "object": {**event["object"], "post_type": "news"}},
        lambda event: {**event, "object": {**event["object"], "is_deleted": "false"}},
        lambda event: {**event, "object": [event["object"]]},
        lambda event: {**event, "object": {**event["object"], "date": 10**20}},
        lambda event: {**event, "object": {**event["object"], "date": -1}},
    ],
    ids=[
        "no author",
        "id as a string",
        "date as a string",
        "no object",
        "no event id",
        "empty object",
        "unknown type",
        "group id as a string",
        "version as a number",
        "text as a number",
        "post type outside the schema",
        "flag as a string",
        "object as an array",
        "date past the calendar",
        "date before 1970",
    ],
)
def test_a_vk_callback_without_the_schemas_shape_or_types_is_a_400(
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


@pytest.mark.parametrize(
    ("kind", "item"),
    [("group_join", {"user_id": 3105, "join_type": "join"}), ("group_leave", {"user_id": 3105, "self": 1})],
)
def test_a_well_formed_vk_event_the_service_does_not_read_is_ok(
    client: TestClient, networks: Networks, services: Services, kind: str, item: dict
) -> None:
    event = networks.vk.callback(kind, item, secret=VK_SECRET)
    answer = client.post("/hooks/vk", json=event)
    assert (answer.status_code, answer.text) == (200, "ok")
    # The same event without its object is not VK's.
    assert client.post("/hooks/vk", json=_without(event, "object")).status_code == 400
    _nothing_recorded(services)


def _in_message(update: dict, **fields: object) -> dict:
    return {**update, "message": {**update["message"], **fields}}


@pytest.mark.parametrize(
    "spoil",
    [
        lambda update: _without(update, "update_id"),
        lambda update: {**update, "update_id": str(update["update_id"])},
        lambda update: _in_message(update, text=12),
        lambda update: _in_message(update, date="2026-11-28"),
        lambda update: _in_message(update, date=10**20),
        lambda update: _in_message(update, **{"from": {"id": 42, "is_bot": "no", "first_name": "Ж"}}),
        lambda update: _in_message(update, chat={"id": CHAT, "type": "forum"}),
        lambda update: _in_message(update, entities={"type": "bold", "offset": 0, "length": 5}),
        lambda update: {**update, "message": "Мусор не вывозят"},
        lambda update: [update],
    ],
    ids=["no update id", "update id as a string", "text as a number", "date as a string", "date past the calendar",
         "is_bot as a string",
         "chat type outside the spec", "entities not an array", "message as a string", "an array of updates"],
)  # fmt: skip
def test_a_telegram_update_with_fields_of_other_types_is_a_400(
    client: TestClient, networks: Networks, services: Services, spoil
) -> None:
    update = networks.telegram.message(chat_id=CHAT, from_id=42, text="Мусор не вывозят, Мясникяна 12")
    answer = client.post("/hooks/telegram", json=spoil(update), headers={SECRET_HEADER: TG_SECRET})
    assert answer.status_code == 400
    assert answer.headers["content-type"].startswith("application/problem+json")
    _nothing_recorded(services)


def test_a_well_formed_telegram_update_the_service_does_not_read_is_a_200(
    client: TestClient, networks: Networks, services: Services
) -> None:
    chat = {"id": CHAT, "type": "supergroup", "title": "Обсуждение новостей Ростова"}
    resident = {"id": 42, "is_bot": False, "first_name": "Житель"}
    update = networks.telegram.update(
        my_chat_member={
            "chat": chat,
            "from": resident,
            "date": 1_795_849_200,
            "old_chat_member": {"status": "left", "user": resident},
            "new_chat_member": {"status": "member", "user": resident},
        }
    )
    answer = client.post("/hooks/telegram", json=update, headers={SECRET_HEADER: TG_SECRET})
    assert (answer.status_code, answer.json()) == (200, {"ok": True})
    _nothing_recorded(services)


def _paths(value: object, prefix: tuple = ()) -> list[tuple]:
    """Every place in a decoded JSON body: the keys and indexes that lead to it."""
    found = [prefix] if prefix else []
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, inner in items:
        found += _paths(inner, (*prefix, key))
    return found


def _replaced(value: dict, path: tuple, new: object) -> dict:
    copy = deepcopy(value)
    inner = copy
    for key in path[:-1]:
        inner = inner[key]
    if new is _MISSING:
        del inner[path[-1]]
    else:
        inner[path[-1]] = new
    return copy


_MISSING = object()
_ODD_VALUES = [_MISSING, None, True, -1, 2**64, 1.5, "", "1/../x", [], {}, 10**30]


def test_no_delivery_spoilt_anywhere_is_answered_a_5xx(client: TestClient, networks: Networks) -> None:
    post = networks.vk.add_post(owner_id=-COMMUNITY, from_id=3105, text="Мусор не вывозят, Мясникяна 12")
    comment = networks.vk.add_comment(owner_id=-COMMUNITY, post_id=post["id"], from_id=3106, text="Яма, Стачки 5")
    first = networks.telegram.message(chat_id=CHAT, from_id=42, text="Мусор не вывозят, Мясникяна 12")
    deliveries = [
        ("/hooks/vk", {}, networks.vk.callback("wall_post_new", post, secret=VK_SECRET)),
        ("/hooks/vk", {}, networks.vk.callback("wall_reply_new", comment, secret=VK_SECRET)),
        ("/hooks/vk", {}, {"type": "confirmation", "group_id": COMMUNITY}),
        (
            "/hooks/telegram",
            {SECRET_HEADER: TG_SECRET},
            networks.telegram.message(chat_id=CHAT, from_id=42, text="Яма", reply_to=first["message"]),
        ),
    ]
    for url, headers, delivery in deliveries:
        for path in _paths(delivery):
            for value in _ODD_VALUES:
                answer = client.post(url, json=_replaced(delivery, path, value), headers=headers)
                assert answer.status_code < 500, (url, path, value)


PHOTO = {
    "id": 457239017,
    "album_id": -7,
    "owner_id": 3105,
    "date": 1_795_849_000,
    "has_tags": False,
    "sizes": [{"type": "x", "url": "https://sun9-1.userapi.com/x.jpg", "width": 604, "height": 453}],
}


@pytest.mark.parametrize(
    ("place", "value"),
    [
        (("attachments", 0, "photo", "sizes", 0, "width"), "604"),
        (("attachments", 0, "photo", "sizes", 0, "type"), "huge"),
        (("attachments", 0, "type"), "hologram"),
        (("attachments", 0, "photo", "has_tags"), 0),
        (("attachments", 0), "photo457239017"),
    ],
    ids=["a size's width as a string", "a size type VK does not have", "an attachment type VK does not have",
         "a flag as a number", "an attachment as a string"],
)  # fmt: skip
def test_a_vk_event_is_checked_against_vks_schema_however_deep(
    client: TestClient, networks: Networks, services: Services, place: tuple, value: object
) -> None:
    post = networks.vk.add_post(owner_id=-COMMUNITY, from_id=3105, text="Мусор не вывозят, Мясникяна 12")
    event = networks.vk.callback(
        "wall_post_new", {**post, "attachments": [{"type": "photo", "photo": PHOTO}]}, secret=VK_SECRET
    )
    answer = client.post("/hooks/vk", json=_replaced(event, ("object", *place), value))
    assert answer.status_code == 400
    assert ".".join(str(step) for step in place) in answer.json()["detail"]
    _nothing_recorded(services)
    assert client.post("/hooks/vk", json=event).text == "ok"  # as VK sends it


@pytest.mark.parametrize(
    ("place", "value"),
    [
        (("entities", 0, "offset"), "0"),
        (("photo", 0, "width"), 1.5),
        (("reply_to_message", "chat", "id"), str(CHAT)),
        (("reply_to_message", "from"), {"id": 42, "first_name": "Житель"}),
        (("forward_origin",), {"type": "user", "date": 1_795_849_000}),
        (("link_preview_options", "is_disabled"), "yes"),
    ],
    ids=["an entity's offset as a string", "a photo's width as a float", "a replied message's chat id as a string",
         "a replied message's author without is_bot", "a forward's origin of no documented shape",
         "a flag as a string"],
)  # fmt: skip
def test_a_telegram_update_is_checked_against_the_bot_api_however_deep(
    client: TestClient, networks: Networks, services: Services, place: tuple, value: object
) -> None:
    first = networks.telegram.message(chat_id=CHAT, from_id=43, text="Мусор не вывозят, Мясникяна 12")
    update = networks.telegram.message(chat_id=CHAT, from_id=42, text="И тут тоже", reply_to=first["message"])
    message = {
        **update["message"],
        "entities": [{"type": "bold", "offset": 0, "length": 1}],
        "photo": [{"file_id": "AgAD", "file_unique_id": "AQAD", "width": 90, "height": 51}],
        "link_preview_options": {"is_disabled": True},
    }
    networks.telegram.spec.check_type("Message", message)
    answer = client.post(
        "/hooks/telegram",
        json=_replaced({**update, "message": message}, ("message", *place), value),
        headers={SECRET_HEADER: TG_SECRET},
    )
    assert answer.status_code == 400
    assert ".".join(str(step) for step in place) in answer.json()["detail"]
    _nothing_recorded(services)
