"""Citizens' personal data (152-ФЗ): encrypted under a key of each citizen's own.

The event store is append-only, so personal data cannot be erased from it. Instead every
citizen's name, profile reference, phone and email are encrypted (AES-GCM, the library's
cipher) under a key kept apart, in a store that can delete. Forgetting the citizen deletes
the key: the ciphertext stays in the history, the hash chain still verifies, statistics keep
counting, and nothing anywhere (exports included) can read the data again.

A source reference is personal data too when it names a person, and is sealed like the author
(see ``identifies_person``). Each complaint's sealed values name a reference of their own, a
random id the key store maps to the citizen's key (``pd2:``): once the citizen is forgotten the
mapping is gone, and nothing in the history says which complaints were one person's. Values
sealed before (``pd1:``) name the citizen's key id itself; they still open until the citizen
is forgotten, and after it stay unreadable but linked to each other by that id, which the
append-only history cannot drop.
"""

import json
import os
import re
from base64 import b64decode, b64encode
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol
from uuid import UUID

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from eventsourcing.cryptography import AESCipher
from eventsourcing.utils import Environment

PREFIX = "pd2:"
# Sealed before per-complaint references: the prefix names the citizen's key id.
KEY_ID_PREFIX = "pd1:"
# What every reader who may not see the author, or finds them forgotten, is shown instead.
HIDDEN = "[personal data]"


@dataclass(frozen=True, slots=True)
class AuthorDetails:
    ref: str
    name: str | None = None
    phone: str | None = None
    email: str | None = None


@dataclass(frozen=True, slots=True)
class Origin:
    """Where and by whom a complaint was written, before it is recorded."""

    channel: str
    source_ref: str
    author: AuthorDetails


@dataclass(frozen=True, slots=True)
class SealedOrigin:
    author_ref: str
    source_ref: str  # sealed when it identifies a person, as it came otherwise


# Source references that name a person, by channel, in the forms the channels' intake makes
# (adapters/*/translate.py). Telegram ``{chat_id}/{message_id}``: a positive chat id is a
# private chat, whose id is the user's id (groups and channels are negative). VK
# ``wall{owner_id}_{post_id}[/{comment_id}]``: a positive owner is a person's own wall (a
# community's is negative). Not personal: OK ``topic/...`` (a group's discussion), ПОС
# ``appeal/{id}...`` (one appeal's number; the applicant's id is only in the sealed author),
# Open311 tokens (random), and web and phone references (the centre's own numbering).
_PERSONAL_REFS = {
    "telegram": re.compile(r"^[1-9]\d*/"),
    "vk": re.compile(r"^wall[1-9]\d*_"),
}


def identifies_person(channel: str, source_ref: str) -> bool:
    pattern = _PERSONAL_REFS.get(channel)
    return pattern is not None and pattern.match(source_ref) is not None


def is_sealed(value: str) -> bool:
    return value.startswith((PREFIX, KEY_ID_PREFIX))


class CitizenKeys(Protocol):
    """Where citizens' keys live: a store that can really delete."""

    def references_for(self, subjects: Sequence[str]) -> list[tuple[str, bytes]]:
        """For each subject, a new random reference to that citizen's key and the key (made on
        first use), all in one transaction."""
        ...

    def referenced_key(self, reference: str) -> bytes | None:
        """None once the citizen was forgotten."""
        ...

    def key(self, key_id: UUID) -> bytes | None:
        """By the citizen's key id, for values sealed before references; None once forgotten."""
        ...

    def forget(self, subject: str) -> bool:
        """Deletes the citizen's key and every reference to it; False if there was none."""
        ...

    def close(self) -> None: ...


class PersonalData:
    def __init__(self, keys: CitizenKeys) -> None:
        self.keys = keys

    def seal(self, origins: Sequence[Origin]) -> list[SealedOrigin]:
        """Each origin's author, and its source reference when it identifies a person, encrypted
        under the citizen's key and one new reference per origin (all fetched together)."""
        keys = self.keys.references_for([origin.author.ref for origin in origins])
        return [
            SealedOrigin(
                author_ref=_seal(PREFIX, reference, key, _author_bytes(origin.author)),
                source_ref=(
                    _seal(PREFIX, reference, key, origin.source_ref.encode("utf-8"))
                    # One that merely looks sealed is sealed too, so it is never mistaken for one.
                    if identifies_person(origin.channel, origin.source_ref) or is_sealed(origin.source_ref)
                    else origin.source_ref
                ),
            )
            for origin, (reference, key) in zip(origins, keys, strict=True)
        ]

    def open(self, sealed: str) -> AuthorDetails | None:
        """The author, or None when the citizen was forgotten or the value is not sealed by us."""
        plaintext = self._decrypt(sealed) if is_sealed(sealed) else None
        return None if plaintext is None else AuthorDetails(**json.loads(plaintext))

    def open_ref(self, recorded: str) -> str | None:
        """A recorded reference as the channel knows it; None once its citizen was forgotten."""
        if not is_sealed(recorded):
            return recorded
        plaintext = self._decrypt(recorded)
        return None if plaintext is None else plaintext.decode("utf-8")

    def seal_alike(self, value: str, like: str) -> str | None:
        """``value`` sealed as ``like`` is (same citizen, same reference), or as it is when
        ``like`` is not sealed; None once the citizen was forgotten. For what follows from a
        personal reference, e.g. our reply in the same private chat."""
        if not is_sealed(like):
            return value
        prefix, reference, _ = _parts(like)
        key = self._key(prefix, reference)
        return None if key is None else _seal(prefix, reference, key, value.encode("utf-8"))

    def forget(self, subject: str) -> bool:
        return self.keys.forget(subject)

    def _decrypt(self, sealed: str) -> bytes | None:
        prefix, reference, ciphertext = _parts(sealed)
        key = self._key(prefix, reference)
        return None if key is None else _cipher(key).decrypt(b64decode(ciphertext))

    def _key(self, prefix: str, reference: str) -> bytes | None:
        if prefix == KEY_ID_PREFIX:
            return self.keys.key(UUID(reference))
        return self.keys.referenced_key(reference)


def _parts(sealed: str) -> tuple[str, str, str]:
    """(prefix, reference, ciphertext) of a sealed value."""
    prefix, reference, ciphertext = sealed.split(":", 2)
    return f"{prefix}:", reference, ciphertext


def _author_bytes(author: AuthorDetails) -> bytes:
    return json.dumps(
        {"ref": author.ref, "name": author.name, "phone": author.phone, "email": author.email}, ensure_ascii=False
    ).encode("utf-8")


def _seal(prefix: str, reference: str, key: bytes, plaintext: bytes) -> str:
    return f"{prefix}{reference}:{b64encode(_encrypt(key, plaintext)).decode('ascii')}"


def _encrypt(key: bytes, plaintext: bytes) -> bytes:
    """What the library's AESCipher writes (nonce, tag, ciphertext), without building one per
    citizen from an environment mapping: most authors are new, so none would be reused."""
    nonce = os.urandom(12)
    sealed = AESGCM(key).encrypt(nonce, plaintext, None)
    return nonce + sealed[-16:] + sealed[:-16]


@lru_cache(maxsize=4096)
def _cipher(key: bytes) -> AESCipher:
    # Cached by the key's bytes, which always come fresh from the key store: a forgotten
    # citizen's key is no longer returned, so a cached cipher can never outlive it in use.
    return AESCipher(Environment(env={AESCipher.CIPHER_KEY: b64encode(key).decode("ascii")}))
