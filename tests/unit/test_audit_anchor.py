"""Anchors never move back, and read back what they wrote; checkpoints chain onto the one before."""

from datetime import UTC, datetime

import pytest

from application.audit.anchor import Anchor, AnchoredLog
from domain.checkpoint import ORIGIN, LogCheckpoints

AT = datetime(2026, 11, 28, 12, tzinfo=UTC)
ACCESS = AnchoredLog(3, "z")


def test_an_anchor_is_raised_per_log_and_never_lowered() -> None:
    kept = Anchor({"Complaints": AnchoredLog(900, "a"), "Access": ACCESS})
    newer = Anchor({"Complaints": AnchoredLog(800, "b"), "Intake": AnchoredLog(5, "c")})
    assert kept.raised_to(newer).logs == {
        "Complaints": AnchoredLog(900, "a"),
        "Access": ACCESS,
        "Intake": AnchoredLog(5, "c"),
    }
    assert Anchor.from_json(kept.to_json()) == kept


@pytest.mark.parametrize("text", ["", "{}", '{"format": "mcu-audit-anchor/1", "logs": {"X": {}}}', "[1]"])
def test_what_is_not_an_anchor_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="not an audit anchor"):
        Anchor.from_json(text)


def test_each_checkpoint_records_the_digest_it_chains_onto() -> None:
    log = LogCheckpoints.start("Complaints", at=AT)
    log.seal(first=1, last=10, events=10, digest="d1", at=AT)
    log.seal(first=11, last=12, events=2, digest="d2", at=AT)
    assert [(c.previous, c.digest) for c in log.checkpoints] == [(ORIGIN, "d1"), ("d1", "d2")]
    with pytest.raises(ValueError):
        log.seal(first=12, last=13, events=2, digest="d3", at=AT)
