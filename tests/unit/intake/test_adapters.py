"""The adapters' translation, without a network: VK, Telegram, OK and ПОС shapes into posts."""

from datetime import UTC, datetime
from pathlib import Path

import pytest

from adapters.gosuslugi.export import ExportError, read_export
from adapters.ok.translate import comment_time, from_topic
from adapters.ok.translate import from_comment as ok_comment
from adapters.routing import load_routing_table
from adapters.telegram.shapes import parse_update
from adapters.telegram.sources import TelegramUpdates
from adapters.telegram.translate import from_update
from adapters.vk.callback import CallbackCommunity, VkCallback
from adapters.vk.shapes import Comment, WallPost, parsed
from adapters.vk.sources import VkSearchSource
from adapters.vk.translate import from_comment, from_wall_post, parse_ref
from application.backoff import Backoff
from application.intake.routing import Route, RoutingTable
from application.intake.source import MalformedPost
from application.triage import CATEGORIES

POST = {
    "inner_type": "wall_wallpost",
    "id": 12,
    "owner_id": -77,
    "from_id": 31,
    "date": 1_795_856_400,
    "text": " Мусор не вывозят ",
    "post_type": "post",
}


def test_a_vk_post_keeps_its_place_on_the_wall_and_skips_the_communitys_own() -> None:
    post = from_wall_post(parsed(POST, WallPost))
    assert (post.source_ref, post.author_ref, post.text) == ("wall-77_12", "vk:id31", "Мусор не вывозят")
    assert post.published_at == datetime.fromtimestamp(1_795_856_400, UTC)
    assert from_wall_post(parsed({**POST, "from_id": -77}, WallPost)) is None
    assert from_wall_post(parsed({**POST, "from_id": -77}, WallPost), own_posts_are_complaints=True) is not None
    assert from_wall_post(parsed({**POST, "post_type": "postpone"}, WallPost)) is None
    assert from_wall_post(parsed({**POST, "text": "  "}, WallPost)) is None


def test_a_vk_comment_answers_its_post_and_its_thread() -> None:
    comment = {
        "id": 90,
        "from_id": 31,
        "date": 1_795_856_500,
        "text": "Ленина 99",
        "post_id": 12,
        "owner_id": -77,
        "parents_stack": [80],
        "reply_to_comment": 85,
    }
    post = from_comment(parsed(comment, Comment), owner_id=-77, post_id=12)
    assert post.source_ref == "wall-77_12/90"
    assert post.reply_to == ("wall-77_12", "wall-77_12/80", "wall-77_12/85")
    assert from_comment(parsed({**comment, "from_id": -77}, Comment), owner_id=-77, post_id=12) is None
    assert parse_ref("wall-77_12/90") == (-77, 12, 90) and parse_ref("wall5_1") == (5, 1, None)
    with pytest.raises(ValueError):
        parse_ref("photo-1_2")


CALLBACK = VkCallback(
    [
        CallbackCommunity(id=77, confirmation_code="abc", secret="s3cret"),
        CallbackCommunity(id=88, confirmation_code="def"),
    ]
)


def test_the_vk_callback_checks_group_and_secret_before_anything() -> None:
    base = {"group_id": 77, "event_id": "e", "v": "5.199", "secret": "s3cret"}
    assert CALLBACK.handle({**base, "type": "confirmation"}).body == "abc"
    assert CALLBACK.handle({"type": "confirmation", "group_id": 77}).body == "abc"
    assert CALLBACK.handle({"type": "confirmation", "group_id": 88}).body == "def"
    assert CALLBACK.handle({**base, "type": "confirmation", "secret": "x"}).status == 403
    assert CALLBACK.handle({"type": "confirmation", "group_id": 99}).status == 403
    join = {"user_id": 31, "join_type": "join"}
    assert CALLBACK.handle({**base, "type": "group_join", "object": join}).posts == []
    for refused in ({**base, "secret": "x"}, {**base, "secret": None}, {**base, "group_id": 99}):
        event = {key: value for key, value in refused.items() if value is not None}
        assert CALLBACK.handle({**event, "type": "wall_post_new", "object": POST}).status == 403
    answer = CALLBACK.handle({**base, "type": "wall_post_new", "object": POST})
    assert (answer.body, [p.source_ref for p in answer.posts]) == ("ok", ["wall-77_12"])
    # The wall named as VK's Callback API documentation names it for a new comment.
    comment = {"id": 90, "from_id": 31, "date": 1_795_856_500, "text": "Ленина 99", "post_id": 12}
    answer = CALLBACK.handle({**base, "type": "wall_reply_new", "object": {**comment, "post_owner_id": -77}})
    assert [p.source_ref for p in answer.posts] == ["wall-77_12/90"]
    # A community without a secret takes its events without one.
    without = {"group_id": 88, "event_id": "e", "v": "5.199", "type": "wall_post_new"}
    answer = CALLBACK.handle({**without, "object": {**POST, "owner_id": -88}})
    assert (answer.body, [p.source_ref for p in answer.posts]) == ("ok", ["wall-88_12"])


def test_a_telegram_message_and_what_it_replies_to() -> None:
    update = {
        "update_id": 5,
        "message": {
            "message_id": 9,
            "date": 1_795_856_400,
            "chat": {"id": -100, "type": "supergroup"},
            "from": {"id": 42, "is_bot": False, "first_name": "А"},
            "caption": "Яма на Стачки 5",
            "reply_to_message": {"message_id": 7, "date": 1, "chat": {"id": -100, "type": "supergroup"}},
        },
    }
    post = from_update(parse_update(update), chats=[])
    assert (post.source_ref, post.author_ref, post.text, post.reply_to) == (
        "-100/9",
        "tg:42",
        "Яма на Стачки 5",
        ("-100/7",),
    )
    assert from_update(parse_update(update), chats=[-200]) is None
    bot = {**update, "message": {**update["message"], "from": {"id": 1, "is_bot": True, "first_name": "b"}}}
    assert from_update(parse_update(bot), chats=[]) is None
    assert from_update(parse_update({"update_id": 6, "channel_post": update["message"]}), chats=[]) is None


def test_ok_topics_of_users_and_comments_in_moscow_time() -> None:
    topic = {
        "id": "155",
        "created_ms": 1_795_856_400_000,
        "author_ref": "user:571",
        "media": [{"type": "text", "text": "Нет воды"}, {"type": "photo"}],
    }
    assert from_topic(topic).source_ref == "topic/155"
    assert from_topic({**topic, "author_ref": "group:1"}) is None
    comment = {
        "id": "9",
        "text": "Беляева 22",
        "author_id": "571",
        "date": "2026-11-28 12:00:00",
        "reply_to_comment_id": "8",
    }
    post = ok_comment(comment, topic_id="155", group_id="1")
    assert post.reply_to == ("topic/155", "topic/155/8")
    assert post.published_at == datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
    assert comment_time("2026-11-28 12:00:00").utcoffset().total_seconds() == 3 * 3600


def test_the_export_reader_explains_what_is_wrong(tmp_path: Path) -> None:
    broken = tmp_path / "a.json"
    broken.write_text('{"appeals": [{"id": "1", "text": "Яма"}]}', encoding="utf-8")
    with pytest.raises(ExportError, match="appeal 1: no submitted_at, applicant_id"):
        read_export(broken)
    naive = tmp_path / "b.json"
    naive.write_text(
        '[{"id": "1", "text": "Яма", "applicant_id": "e", "submitted_at": "2026-11-28T10:00:00"}]', encoding="utf-8"
    )
    with pytest.raises(ExportError, match="carry their offset"):
        read_export(naive)


def test_the_routing_table_prefers_the_districts_row_and_rostovs_covers_every_category() -> None:
    table = RoutingTable([Route("waste", None, "city"), Route("waste", "Советский", "district")])
    assert table.organisation_for("waste", "Советский") == "district"
    assert table.organisation_for("waste", "Ленинский") == table.organisation_for("waste", None) == "city"
    assert table.organisation_for("roads", None) is None and table.organisation_for(None, None) is None
    with pytest.raises(ValueError, match="two routes for waste"):
        RoutingTable([Route("waste", None, "a"), Route("waste", None, "b")])
    rostov = load_routing_table()
    assert all(rostov.organisation_for(category, None) for category in CATEGORIES)


def test_backoff_doubles_to_its_cap_and_honours_the_networks_wait() -> None:
    backoff = Backoff(base=5, cap=60)
    assert [backoff.delay(n) for n in (1, 2, 3, 4, 5)] == [5, 10, 20, 40, 60]
    assert backoff.delay(1, at_least=3600) == 3600


def test_the_vk_callback_refuses_events_without_the_schemas_shape_once_the_secret_is_ours() -> None:
    callback = CALLBACK
    base = {"group_id": 77, "event_id": "e", "v": "5.199", "secret": "s3cret"}
    without_author = {key: value for key, value in POST.items() if key != "from_id"}
    for event in (
        {**base, "type": "wall_post_new", "object": without_author},
        {**base, "type": "wall_post_new", "object": {**POST, "id": "12"}},
        {**base, "type": "wall_post_new"},
        {**base, "type": "wall_reply_new", "object": {"id": 1, "from_id": 31, "date": 1, "text": "Ленина 9"}},
        {key: value for key, value in base.items() if key != "event_id"} | {"type": "wall_post_new", "object": POST},
        {**base, "type": "group_join", "object": {}},
        {**base, "type": "group_join"},
        {**base, "type": "wall_post_new", "object": {**POST, "text": 5}},
        {**base, "type": "wall_post_new", "object": {**POST, "post_type": "news"}},
        {**base, "type": "no_such_event", "object": POST},
        {**base, "group_id": "77", "type": "wall_post_new", "object": POST},
        {"group_id": 77, "secret": "s3cret"},
    ):
        with pytest.raises(MalformedPost):
            callback.handle(event)
    assert callback.handle({**base, "secret": "x", "type": "wall_post_new"}).status == 403


def test_a_telegram_update_with_ids_of_another_type_is_refused() -> None:
    message = {"message_id": 9, "date": 1, "chat": {"id": -100, "type": "supergroup"}, "text": "Яма"}
    for update in (
        {"update_id": 5, "message": {**message, "message_id": "1/../../x"}},
        {"update_id": 5, "message": {**message, "chat": {"id": "-100", "type": "supergroup"}}},
        {"update_id": 5, "message": {**message, "message_id": True}},
        {"update_id": 5, "message": {key: value for key, value in message.items() if key != "chat"}},
        {"message": message},
    ):
        with pytest.raises(MalformedPost, match="Telegram Update"):
            parse_update(update)


class CannedApi:
    """Answers each method with what it was given, as a network would."""

    def __init__(self, **answers: object) -> None:
        self.answers = answers

    def call(self, method: str, **_: object) -> object:
        return self.answers[method.replace(".", "_")]


def test_pollers_skip_an_item_without_the_schemas_shape_and_take_the_rest() -> None:
    found = {"count": 2, "items": [{**POST, "id": "13"}, POST]}
    batch = VkSearchSource(CannedApi(newsfeed_search=found), query="мусор", count=10).fetch(None)
    assert [post.source_ref for post in batch.posts] == ["wall-77_12"]

    message = {"message_id": 9, "date": 1, "chat": {"id": -100, "type": "supergroup"}, "text": "Яма на Стачки 5"}
    message["from"] = {"id": 42, "is_bot": False, "first_name": "А"}
    updates = [
        {"update_id": 5, "message": {**message, "message_id": "1/../../x"}},
        {"update_id": 6, "message": message},
    ]
    batch = TelegramUpdates(CannedApi(getUpdates=updates), chats=[], wait=0).fetch(None)
    assert [post.source_ref for post in batch.posts] == ["-100/9"]
    assert batch.position == "7"
