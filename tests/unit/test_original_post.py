"""The card's link to the citizen's original post, built from the channel's own reference."""

import pytest

from adapters.config import Settings
from interfaces.web.origin import original_post


@pytest.mark.parametrize(
    ("channel", "ref", "group", "url"),
    [
        ("vk", "wall-123_456", "", "https://vk.com/wall-123_456"),
        ("vk", "wall-123_456/789", "", "https://vk.com/wall-123_456?reply=789"),
        ("ok", "topic/555/1", "70000001", "https://ok.ru/group/70000001/topic/555"),
        ("ok", "topic/555", "", None),
        ("telegram", "-1001234567890/42", "", "https://t.me/c/1234567890/42"),
        ("telegram", "987654/42", "", None),
        ("gosuslugi", "appeal/100500", "", None),
        ("phone", "call/2026-1", "", None),
        ("vk", "typed by hand", "", None),
    ],
)
def test_the_link_is_given_where_the_reference_names_a_public_post(
    channel: str, ref: str, group: str, url: str | None
) -> None:
    assert original_post(channel, ref, Settings(store="memory", ok_group_id=group)) == url
