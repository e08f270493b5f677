"""Export of the whole log as JSON Lines, and import of such a file into an empty store."""

import hmac
import json
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent

from application.complaints import ComplaintService
from application.countersign import FIELD, countersign
from application.errors import ApplicationError
from application.moments import written

_PAGE = 1000


class ImportRefused(ApplicationError):
    pass


def export_events(
    complaints: ComplaintService, *, since: datetime | None = None, until: datetime | None = None
) -> Iterator[dict[str, Any]]:
    """Every event in global order, its stored state kept exactly so an import reproduces it."""
    start = 1
    while page := complaints.recorder.select_notifications(start, _PAGE):
        for notification in page:
            at = complaints.mapper.to_domain_event(notification).timestamp
            if (since is None or at >= since) and (until is None or at <= until):
                yield {
                    "position": notification.id,
                    "originator_id": str(notification.originator_id),
                    "originator_version": notification.originator_version,
                    "topic": notification.topic,
                    "at": written(at),
                    "state": json.loads(notification.state),
                }
        start = page[-1].id + 1


def import_events(complaints: ComplaintService, lines: Iterable[str], *, key: bytes, batch: int = _PAGE) -> int:
    """Appends exported events to an empty store, in their order; returns how many.

    ``key`` is this store's audit key: the events must have been countersigned under it, or
    every one of them would verify as forged, and the complaints' ids would not be the ones
    their posts are given here."""
    if complaints.recorder.max_notification_id():
        raise ImportRefused("the store already holds events; import only into an empty store")
    pending: list[StoredEvent] = []
    imported = 0
    key_checked = False
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            if not key_checked:
                key_checked = _signed_under(key, record["state"])
            pending.append(
                StoredEvent(
                    originator_id=UUID(record["originator_id"]),
                    originator_version=int(record["originator_version"]),
                    topic=str(record["topic"]),
                    # The library's own encoding (compact, UTF-8), so the bytes equal the exported ones.
                    state=json.dumps(record["state"], ensure_ascii=False, separators=(",", ":")).encode("utf-8"),
                )
            )
        except (ValueError, KeyError, TypeError) as error:
            raise ImportRefused(f"line {number} is not an exported event ({type(error).__name__}: {error})") from None
        if len(pending) >= batch:
            complaints.recorder.insert_events(pending)
            imported += len(pending)
            pending = []
    if pending:
        complaints.recorder.insert_events(pending)
        imported += len(pending)
    return imported


def _signed_under(key: bytes, state: dict[str, Any]) -> bool:
    """True once an event countersigned under ``key`` is seen; refuses one signed otherwise."""
    signature, seal = state.get(FIELD), state.get("seal")
    if not isinstance(signature, str) or not isinstance(seal, str):
        return False  # recorded before countersigning: nothing to tell the key by
    if not hmac.compare_digest(signature, countersign(key, seal)):
        raise ImportRefused(
            "the events were countersigned under another audit key: give this store the exporting "
            "store's key (its MCU_AUDIT_KEY, or its data folder's audit.key copied over this one's) and import again"
        )
    return True
