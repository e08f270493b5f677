"""Anchors: where each log's checkpoints had reached, kept outside the event store.

Checkpoints live in the store, so whoever can delete events can delete the newest checkpoints
too. An anchor, written by every sealing into a file beside the audit key and exported for
another machine or the shift log, pins each log's newest checkpoint: a store whose checkpoints
end earlier, or differ there, was cut back.
"""

import json
from dataclasses import dataclass
from typing import Protocol

FORMAT = "mcu-audit-anchor/1"


@dataclass(frozen=True, slots=True)
class AnchoredLog:
    sealed_up_to: int
    digest: str


@dataclass(frozen=True, slots=True)
class Anchor:
    logs: dict[str, AnchoredLog]

    def raised_to(self, newer: "Anchor") -> "Anchor":
        """Each log at the further of the two marks: an anchor never moves back."""
        logs = dict(self.logs)
        for name, mark in newer.logs.items():
            if name not in logs or mark.sealed_up_to >= logs[name].sealed_up_to:
                logs[name] = mark
        return Anchor(logs)

    def to_json(self) -> str:
        logs = {name: {"sealed_up_to": m.sealed_up_to, "digest": m.digest} for name, m in sorted(self.logs.items())}
        return json.dumps({"format": FORMAT, "logs": logs}, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> "Anchor":
        try:
            document = json.loads(text)
            if document.get("format") != FORMAT:
                raise ValueError(f"not an {FORMAT} document")
            return cls(
                {
                    str(name): AnchoredLog(int(mark["sealed_up_to"]), str(mark["digest"]))
                    for name, mark in document["logs"].items()
                }
            )
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise ValueError(f"not an audit anchor ({type(error).__name__})") from None


class HighWaterMark(Protocol):
    """The anchor kept on this machine, raised by every sealing."""

    def read(self) -> Anchor | None: ...

    def raise_to(self, anchor: Anchor) -> None: ...
