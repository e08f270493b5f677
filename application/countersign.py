"""A keyed countersignature on every recorded complaint event.

The seal chain shows where a history was edited, but anyone who knows the algorithm could
recompute it for a forged event. The countersignature is an HMAC of the seal under a key the
database does not hold, written next to the event's fields and dropped again when the event
is read, so the domain never sees it.
"""

import hashlib
import hmac
from typing import Any

from eventsourcing.persistence import JSONTranscoder

FIELD = "countersign"


def countersign(key: bytes, seal: str) -> str:
    return hmac.new(key, seal.encode("ascii"), hashlib.sha256).hexdigest()


class CountersigningTranscoder(JSONTranscoder):
    def __init__(self, key: bytes) -> None:
        super().__init__()
        self._key = key

    def encode(self, obj: Any) -> bytes:
        if isinstance(obj, dict) and isinstance(obj.get("seal"), str):
            obj = {**obj, FIELD: countersign(self._key, obj["seal"])}
        return super().encode(obj)

    def decode(self, data: bytes) -> Any:
        obj = super().decode(data)
        if isinstance(obj, dict):
            obj.pop(FIELD, None)
        return obj
