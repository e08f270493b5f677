"""Authors, and source references that name a person, are sealed in the library's cipher format
under a reference of each complaint's own; only their citizen's key opens them."""

from base64 import b64decode, b64encode

import pytest
from eventsourcing.cryptography import AESCipher
from eventsourcing.utils import Environment
from hypothesis import given
from hypothesis import strategies as st

from adapters.citizen_keys import MemoryCitizenKeys
from application.personal_data import PREFIX, AuthorDetails, Origin, PersonalData, identifies_person

optional = st.none() | st.text(max_size=40)
PRIVATE_CHAT = "5550001119/10"  # a Telegram private chat's id is its user's id


def origin(ref: str = "vk:1", *, channel: str = "vk", source_ref: str = "wall-1_1", **contacts: str) -> Origin:
    return Origin(channel=channel, source_ref=source_ref, author=AuthorDetails(ref=ref, **contacts))


@given(st.text(min_size=1, max_size=40), optional, optional, optional)
def test_a_sealed_author_opens_to_the_same_author(ref: str, name: str | None, phone: str | None, email: str | None):
    personal_data = PersonalData(MemoryCitizenKeys(b"pepper"))
    author = AuthorDetails(ref=ref, name=name, phone=phone, email=email)
    (sealed,) = personal_data.seal([Origin(channel="vk", source_ref="wall-1_1", author=author)])
    assert sealed.author_ref.startswith(PREFIX)
    assert personal_data.open(sealed.author_ref) == author
    assert sealed.source_ref == "wall-1_1"


def test_the_library_cipher_opens_what_is_sealed() -> None:
    keys = MemoryCitizenKeys(b"pepper")
    personal_data = PersonalData(keys)
    (sealed,) = personal_data.seal([origin(name="Анна")])
    reference, _, ciphertext = sealed.author_ref.removeprefix(PREFIX).partition(":")
    key = keys.referenced_key(reference)
    assert key is not None
    library = AESCipher(Environment(env={AESCipher.CIPHER_KEY: b64encode(key).decode("ascii")}))
    assert "Анна" in library.decrypt(b64decode(ciphertext)).decode("utf-8")


def test_a_forgotten_citizen_opens_to_nothing() -> None:
    personal_data = PersonalData(MemoryCitizenKeys(b"pepper"))
    (sealed,) = personal_data.seal([origin("tg:5", channel="telegram", source_ref="5/1", phone="+79001234567")])
    personal_data.forget("tg:5")
    assert personal_data.open(sealed.author_ref) is None
    assert personal_data.open_ref(sealed.source_ref) is None


@pytest.mark.parametrize(
    ("channel", "source_ref", "personal"),
    [
        ("telegram", PRIVATE_CHAT, True),
        ("telegram", "-1001234567890/10", False),  # a supergroup
        ("telegram", "-4567/10", False),  # a basic group
        ("vk", "wall777_5", True),  # a person's own wall
        ("vk", "wall777_5/9", True),
        ("vk", "wall-1_5/9", False),  # a community's wall
        ("ok", "topic/1/2", False),
        ("gosuslugi", "appeal/5550001119", False),
        ("open311", "5550001119", False),
        ("web", "5550001119/10", False),
    ],
)
def test_which_source_references_name_a_person(channel: str, source_ref: str, personal: bool) -> None:
    assert identifies_person(channel, source_ref) is personal
    personal_data = PersonalData(MemoryCitizenKeys(b"pepper"))
    (sealed,) = personal_data.seal([origin(channel=channel, source_ref=source_ref)])
    assert (source_ref not in sealed.source_ref) is personal
    assert personal_data.open_ref(sealed.source_ref) == source_ref


def test_a_reference_that_only_looks_sealed_is_sealed_and_comes_back_as_given() -> None:
    personal_data = PersonalData(MemoryCitizenKeys(b"pepper"))
    (sealed,) = personal_data.seal([origin(channel="web", source_ref="pd2:not-ours:x")])
    assert sealed.source_ref != "pd2:not-ours:x"
    assert personal_data.open_ref(sealed.source_ref) == "pd2:not-ours:x"


def test_a_citizens_complaints_share_no_reference_and_one_reply_seals_alike() -> None:
    personal_data = PersonalData(MemoryCitizenKeys(b"pepper"))
    first, second = personal_data.seal([origin("tg:5", channel="telegram", source_ref=f"5/{n}") for n in (1, 2)])
    reference = {value.split(":")[1] for value in (first.author_ref, first.source_ref)}
    assert len(reference) == 1
    assert reference.isdisjoint(value.split(":")[1] for value in (second.author_ref, second.source_ref))

    reply = personal_data.seal_alike("5/3", like=first.source_ref)
    assert reply is not None and "5/3" not in reply and reply.split(":")[1] in reference
    assert personal_data.open_ref(reply) == "5/3"
    assert personal_data.seal_alike("-100/3", like="-100/1") == "-100/3"
    personal_data.forget("tg:5")
    assert personal_data.seal_alike("5/4", like=first.source_ref) is None
