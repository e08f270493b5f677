"""The high-water mark of the audit checkpoints: a file beside the audit key, outside the store."""

import os
from pathlib import Path

from application.audit.anchor import Anchor


class FileHighWaterMark:
    def __init__(self, path: Path) -> None:
        self.path = path

    def read(self) -> Anchor | None:
        try:
            return Anchor.from_json(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None

    def raise_to(self, anchor: Anchor) -> None:
        current = self.read()
        merged = current.raised_to(anchor) if current is not None else anchor
        # Written whole under another name and renamed: a crash never leaves half an anchor.
        self.path.parent.mkdir(parents=True, exist_ok=True)
        written = self.path.with_name(f".{self.path.name}.{os.getpid()}")
        with written.open("w", encoding="utf-8") as file:
            file.write(merged.to_json() + "\n")
            file.flush()
            os.fsync(file.fileno())
        os.replace(written, self.path)
