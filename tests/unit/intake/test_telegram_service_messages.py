"""The Message fields that make a Telegram message a service message, kept in step with the Bot
API spec. The vendored copy of the spec leaves descriptions out, so this reads the published one
in ../shared/data where it is present (it is not on a plain clone)."""

import json
from pathlib import Path

import msgspec
import pytest

from adapters.telegram.shapes import SERVICE_FIELDS, Message, parse_update
from adapters.telegram.spec import SPEC as VENDORED_SPEC

_ROOT = Path(__file__).resolve().parents[3]
# Beside the repository, or beside the folder of its worktrees.
SPEC = next(
    (
        spec
        for shared in (_ROOT.parent / "shared", _ROOT.parent.parent / "shared")
        if (spec := shared / "data" / "telegram-bot-api-spec" / "api.json").exists()
    ),
    _ROOT / "no published spec",
)


@pytest.mark.skipif(not SPEC.exists(), reason="the published Bot API spec is not beside the repository")
def test_every_field_the_spec_calls_a_service_message_is_one_here() -> None:
    fields = json.loads(SPEC.read_text(encoding="utf-8"))["types"]["Message"]["fields"]
    service = {f["name"] for f in fields if f["description"].startswith("Optional. Service message")}
    assert service and service <= set(SERVICE_FIELDS)


def test_the_service_fields_are_message_fields_of_the_spec() -> None:
    fields = {f["name"] for f in json.loads(VENDORED_SPEC.read_text(encoding="utf-8"))["types"]["Message"]["fields"]}
    assert set(SERVICE_FIELDS) <= fields
    message = {"message_id": 1, "date": 1, "chat": {"id": -1, "type": "supergroup"}}
    assert not parse_update({"update_id": 1, "message": message}).message.is_service
    for name in SERVICE_FIELDS:
        # Only whether the field is there counts; its shape is the spec's check (spec.py).
        assert msgspec.convert({**message, name: True}, Message, strict=True).is_service, name
