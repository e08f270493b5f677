"""Authors are sealed in the library's cipher format, and only their citizen's key opens them."""

from base64 import b64decode, b64encode

from eventsourcing.cryptography import AESCipher
from eventsourcing.utils import Environment
from hypothesis import given
from hypothesis import strategies as st

from adapters.citizen_keys import MemoryCitizenKeys
from application.personal_data import PREFIX, Author, PersonalData

optional = st.none() | st.text(max_size=40)


@given(st.text(min_size=1, max_size=40), optional, optional, optional)
def test_a_sealed_author_opens_to_the_same_author(ref: str, name: str | None, phone: str | None, email: str | None):
    personal_data = PersonalData(MemoryCitizenKeys(b"pepper"))
    author = Author(ref=ref, name=name, phone=phone, email=email)
    (sealed,) = personal_data.seal([author])
    assert sealed.startswith(PREFIX)
    assert personal_data.open(sealed) == author


def test_the_library_cipher_opens_what_is_sealed() -> None:
    keys = MemoryCitizenKeys(b"pepper")
    personal_data = PersonalData(keys)
    (sealed,) = personal_data.seal([Author(ref="vk:1", name="Анна")])
    key_id, _, ciphertext = sealed.removeprefix(PREFIX).partition(":")
    ((_, key),) = keys.keys_for(["vk:1"]).values()
    library = AESCipher(Environment(env={AESCipher.CIPHER_KEY: b64encode(key).decode("ascii")}))
    assert "Анна" in library.decrypt(b64decode(ciphertext)).decode("utf-8")


def test_a_forgotten_citizen_opens_to_nothing() -> None:
    personal_data = PersonalData(MemoryCitizenKeys(b"pepper"))
    (sealed,) = personal_data.seal([Author(ref="tg:5", phone="+79001234567")])
    personal_data.forget("tg:5")
    assert personal_data.open(sealed) is None
