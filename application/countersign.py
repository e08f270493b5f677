"""A keyed countersignature on every recorded complaint event.

The seal chain shows where a history was edited, but anyone who knows the algorithm could
recompute it for a forged event. The countersignature is an HMAC of the seal under a key the
database does not hold, written next to the event's fields and dropped again when the event
is read, so the domain never sees it.
"""

import hashlib
import hmac
from typing import Any

import msgspec
from eventsourcing.persistence import JSONTranscoder

FIELD = "countersign"

# Types written as JSON as they are; anything else goes through the library's transcodings.
_AS_IS = frozenset({str, int, bool, type(None)})
_CONTAINERS = frozenset({dict, list})


class _NotPlain(Exception):
    """A value the fast path does not write exactly as the library would (a float, say)."""


def countersign(key: bytes, seal: str) -> str:
    return hmac.new(key, seal.encode("ascii"), hashlib.sha256).hexdigest()


class CountersigningTranscoder(JSONTranscoder):
    """Writes and reads the library's JSON through msgspec, byte for byte and value for value:
    the library's encoder calls back into Python for every date and id, which made encoding a
    fifth of a registration, and its decoder for every object, which made decoding most of
    reading a history or rebuilding a view."""

    def __init__(self, key: bytes) -> None:
        super().__init__()
        self._key = key
        self._fast = msgspec.json.Encoder()

    def encode(self, obj: Any) -> bytes:
        if isinstance(obj, dict) and isinstance(obj.get("seal"), str):
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
