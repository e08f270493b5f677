"""Citizens' personal data (152-ФЗ): encrypted under a key of each citizen's own.

The event store is append-only, so personal data cannot be erased from it. Instead every
citizen's name, profile reference, phone and email are encrypted (AES-GCM, the library's
cipher) under a key kept apart, in a store that can delete. Forgetting the citizen deletes
the key: the ciphertext stays in the history, the hash chain still verifies, statistics keep
counting, and nothing anywhere (exports included) can read the data again.
"""

import json
import os
from base64 import b64decode, b64encode
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol
from uuid import UUID

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from eventsourcing.cryptography import AESCipher
from eventsourcing.utils import Environment

PREFIX = "pd1:"
# What every reader who may not see the author, or finds them forgotten, is shown instead.
HIDDEN = "[personal data]"


@dataclass(frozen=True, slots=True)
class Author:
    ref: str
    name: str | None = None
    phone: str | None = None
    email: str | None = None


class CitizenKeys(Protocol):
    """Where citizens' keys live: a store that can really delete."""

    def keys_for(self, subjects: Iterable[str]) -> dict[str, tuple[UUID, bytes]]:
        """Each citizen's key id and key, created on first use, in one transaction."""
        ...

    def key(self, key_id: UUID) -> bytes | None:
        """None once the citizen was forgotten."""
        ...

    def forget(self, subject: str) -> bool:
        """Deletes the citizen's key; False if there was none."""
        ...

    def close(self) -> None: ...


class PersonalData:
    def __init__(self, keys: CitizenKeys) -> None:
        self.keys = keys

    def seal(self, authors: Sequence[Author]) -> list[str]:
        """Each author encrypted under their citizen's key (keys fetched together)."""
        keys = self.keys.keys_for(author.ref for author in authors)
        return [self._seal(author, *keys[author.ref]) for author in authors]

    @staticmethod
    def _seal(author: Author, key_id: UUID, key: bytes) -> str:
        plaintext = json.dumps(
            {"ref": author.ref, "name": author.name, "phone": author.phone, "email": author.email}, ensure_ascii=False
        ).encode("utf-8")
        return f"{PREFIX}{key_id}:{b64encode(_encrypt(key, plaintext)).decode('ascii')}"

    def open(self, sealed: str) -> Author | None:
        """The author, or None when the citizen was forgotten or the value is not sealed by us."""
        if not sealed.startswith(PREFIX):
            return None
        key_id, _, ciphertext = sealed[len(PREFIX) :].partition(":")
        key = self.keys.key(UUID(key_id))
        if key is None:
            return None
        return Author(**json.loads(_cipher(key).decrypt(b64decode(ciphertext))))

    def forget(self, subject: str) -> bool:
        return self.keys.forget(subject)


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
