"""Export of the whole log as JSON Lines, and import of such a file into an empty store."""

import json
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent

from application.complaints import ComplaintService
from application.errors import ApplicationError

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
                    "at": at.isoformat(),
                    "state": json.loads(notification.state),
                }
        start = page[-1].id + 1


def import_events(complaints: ComplaintService, lines: Iterable[str], *, batch: int = _PAGE) -> int:
    """Appends exported events to an empty store, in their order; returns how many."""
    if complaints.recorder.max_notification_id():
        raise ImportRefused("the store already holds events; import only into an empty store")
    pending: list[StoredEvent] = []
    imported = 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
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
