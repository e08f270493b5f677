"""The hash chain of a complaint's history.

Each event carries a seal: a SHA-256 over the previous event's seal, the complaint's id, the
event's version and type, and its fields. Editing, deleting or reordering an event breaks the
chain from that point on, so an auditor can tell exactly where the history was touched.
"""

import hashlib
import json
from datetime import datetime
from typing import Any
from uuid import UUID

GENESIS = "0" * 64

# Attributes the library adds to every event (or that hold the seal itself): not sealed twice.
ENVELOPE = frozenset({"originator_id", "originator_version", "originator_topic", "seal"})


def _scalar(value: Any) -> str:
    # Only what the JSON encoder cannot write itself reaches here.
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    raise TypeError(f"cannot seal a value of type {type(value).__name__}")


def seal_of(previous: str, originator_id: UUID, version: int, event_type: str, fields: dict[str, Any]) -> str:
    body = {
        "previous": previous,
        "id": str(originator_id),
        "version": version,
        "type": event_type,
        "fields": {k: v for k, v in fields.items() if k not in ENVELOPE},
    }
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_scalar)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
