"""What the domain accepts as text a person wrote, on every path a text can come in by.

A text is recorded once and then read by every view, export and reply for ever, so a
character that no person types and that some store or format cannot hold (PostgreSQL's text
refuses NUL, XML refuses most C0 controls, a lone surrogate cannot be encoded) is refused at
the door, whether the text came from the API, Open311, a webhook, polling or an import.
"""

import re

from domain.errors import InvalidText

# C0 controls but tab, line feed and carriage return (a browser's form sends CRLF), DEL and
# the C1 controls, lone surrogates, and Unicode's noncharacters (U+FDD0–U+FDEF and the last
# two code points of every plane).
_NOT_TEXT = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
    + "".join(f"{chr(plane + 0xFFFE)}{chr(plane + 0xFFFF)}" for plane in range(0, 0x110000, 0x10000))
    + "]"
)
# A single-line value (an address, a name, a reference) holds no line break of any kind.
_LINE_BREAK = re.compile("[\n\r\u2028\u2029]")


def checked_text(value: str, what: str, *, single_line: bool = False) -> str:
    """The value itself, or InvalidText naming the field and the character (never the
    text, which may be personal data)."""
    for pattern, kind in (
        (_NOT_TEXT, "a control or non-text character"),
        (_LINE_BREAK if single_line else None, "a line break"),
    ):
        found = pattern.search(value) if pattern is not None else None
        if found is not None:
            raise InvalidText(f"{what} must not contain {kind} (U+{ord(found.group()):04X})")
    return value


def legible(value: str) -> str:
    """The text with every character the domain refuses replaced by U+FFFD, for what was
    recorded before it refused them."""
    return _NOT_TEXT.sub("\ufffd", value)
