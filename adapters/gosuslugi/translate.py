"""ПОС appeals and citizens' messages into intake posts.

An appeal is ``appeal/{id}``, a citizen's later message in it ``appeal/{id}/message/{id}``.
"""

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from application.intake.source import Post
from domain.complaint import Channel


def appeal_ref(appeal_id: str) -> str:
    return f"appeal/{appeal_id}"


def appeal_id_of(ref: str) -> str:
    kind, _, rest = ref.partition("/")
    appeal_id = rest.partition("/")[0]
    if kind != "appeal" or not appeal_id:
        raise ValueError(f"not a ПОС appeal reference: {ref!r}")
    return appeal_id


def from_appeal(appeal: Mapping[str, Any]) -> Post:
    return Post(
        channel=Channel.GOSUSLUGI,
        source_ref=appeal_ref(str(appeal["id"])),
        author_ref=f"gosuslugi:{appeal['applicant_id']}",
        text=str(appeal["text"]).strip(),
        published_at=_aware(appeal["submitted_at"]),
        address_hint=(appeal.get("address") or None),
    )


def from_message(appeal_id: str, applicant_id: str, message: Mapping[str, Any]) -> Post:
    return Post(
        channel=Channel.GOSUSLUGI,
        source_ref=f"{appeal_ref(appeal_id)}/message/{message['id']}",
        author_ref=f"gosuslugi:{applicant_id}",
        text=str(message["text"]).strip(),
        published_at=_aware(message["sent_at"]),
        reply_to=(appeal_ref(appeal_id),),
    )


def _aware(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError("ПОС times carry their offset (docs/pos-contract.md)")
    return moment
