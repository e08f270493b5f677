"""A keyed countersignature on every recorded event, of every application.

The seal chain shows where a complaint's history was edited, but anyone who knows the
algorithm could recompute it for a forged event. The countersignature is an HMAC under a key
the database does not hold, written next to the event's fields and dropped again when the
event is read, so the domain never sees it. A complaint event's is an HMAC of its seal (which
already digests its id, version, type and fields); an event of any other application, having
no seal, gets one of its *envelope*: its aggregate's id, its version, its topic and its fields.
"""

import hashlib
import hmac
import json
from typing import Any
from uuid import UUID

import msgspec
from eventsourcing.application import Application
from eventsourcing.persistence import JSONTranscoder, Mapper, StoredEvent, Transcoder

FIELD = "countersign"
# The environment entry (hex) through which the composition root hands every application the key.
KEY_ENV = "COUNTERSIGN_KEY"

# Types written as JSON as they are; anything else goes through the library's transcodings.
_AS_IS = frozenset({str, int, bool, type(None)})
_CONTAINERS = frozenset({dict, list})


class _NotPlain(Exception):
    """A value the fast path does not write exactly as the library would (a float, say)."""


def countersign(key: bytes, seal: str) -> str:
    return hmac.new(key, seal.encode("ascii"), hashlib.sha256).hexdigest()


def envelope_seal(originator_id: UUID, version: int, topic: str, fields: dict[str, Any]) -> str:
    """The digest an unsealed event is countersigned over. ``fields`` is the stored JSON as
    read back, without the countersignature: written canonically, so whichever encoder wrote
    the row (msgspec or Python's json) the digest is the same."""
    body = {"id": str(originator_id), "version": version, "topic": topic, "fields": fields}
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class CountersigningMapper(Mapper[UUID]):
    """Countersigns the envelope of every event that carries no seal of its own."""

    def __init__(self, transcoder: Transcoder, key: bytes) -> None:
        super().__init__(transcoder)
        self._key = key

    def to_stored_event(self, domain_event: Any) -> StoredEvent:
        stored = super().to_stored_event(domain_event)
        if isinstance(getattr(domain_event, "seal", None), str):
            return stored  # countersigned over its seal by the transcoder
        fields = json.loads(stored.state)
        signature = countersign(
            self._key, envelope_seal(stored.originator_id, stored.originator_version, stored.topic, fields)
        )
        # Appended to the encoded object: encoding the whole event again would cost twice.
        joint = b"," if fields else b""
        state = stored.state[:-1] + joint + f'"{FIELD}":"{signature}"}}'.encode("ascii")
        return StoredEvent(stored.originator_id, stored.originator_version, stored.topic, state)


class Countersigned(Application[UUID]):
    """An application whose every recorded event is countersigned, with the key the composition
    root puts in its environment. Without one (a process that only reads) nothing is signed,
    and events read back lose their countersignatures all the same."""

    def construct_transcoder(self) -> Transcoder:
        transcoder = CountersigningTranscoder(self._countersign_key())
        self.register_transcodings(transcoder)
        return transcoder

    def construct_mapper(self) -> Mapper[UUID]:
        key = self._countersign_key()
        transcoder = self.construct_transcoder()
        return CountersigningMapper(transcoder, key) if key else Mapper(transcoder)

    def _countersign_key(self) -> bytes | None:
        key = self.env.get(KEY_ENV)
        return bytes.fromhex(key) if key else None


class CountersigningTranscoder(JSONTranscoder):
    """Writes and reads the library's JSON through msgspec, byte for byte and value for value:
    the library's encoder calls back into Python for every date and id, which made encoding a
    fifth of a registration, and its decoder for every object, which made decoding most of
    reading a history or rebuilding a view."""

    def __init__(self, key: bytes | None) -> None:
        super().__init__()
        self._key = key
        self._fast = msgspec.json.Encoder()

    def encode(self, obj: Any) -> bytes:
        if self._key is not None and isinstance(obj, dict) and isinstance(obj.get("seal"), str):
            obj = {**obj, FIELD: countersign(self._key, obj["seal"])}
        try:
            return self._fast.encode(self._plain(obj))
        except _NotPlain:
            return super().encode(obj)

    def decode(self, data: bytes) -> Any:
        try:
            obj = msgspec.json.decode(data)
            if type(obj) in _CONTAINERS:
                obj = self._restored(obj)
        except msgspec.MsgspecError:
            # What msgspec refuses and Python's json reads (a number beyond a double, NaN)
            # or refuses with its own message.
            obj = super().decode(data)
        if isinstance(obj, dict):
            obj.pop(FIELD, None)
        return obj

    def _restored(self, value: Any) -> Any:
        """The library's transcoded objects in place of their JSON, innermost first, as its
        decoder's object hook makes them."""
        # In place: msgspec made these containers for this call alone.
        if type(value) is dict:
            for key, item in value.items():
                if type(item) in _CONTAINERS:
                    value[key] = self._restored(item)
            return self._decode_obj(value) if len(value) == 2 else value
        for index, item in enumerate(value):
            if type(item) in _CONTAINERS:
                value[index] = self._restored(item)
        return value

    def _plain(self, value: Any) -> Any:
        kind = type(value)
        if kind in _AS_IS:
            return value
        if kind is dict:
            # Most fields are plain: tested here rather than in a call per field.
            return {key: item if type(item) in _AS_IS else self._plain(item) for key, item in value.items()}
        if kind is list or kind is tuple:
            return [self._plain(item) for item in value]
        transcoding = self.types.get(kind)
        if transcoding is None:
            raise _NotPlain
        return {"_type_": transcoding.name, "_data_": self._plain(transcoding.encode(value))}
