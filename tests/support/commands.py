"""A post to register, as tests of the worker's child processes send them."""

from datetime import datetime, timedelta, timezone
from typing import Any

from application.commands import Register

MOSCOW = timezone(timedelta(hours=3))
# One moment for the whole run: post n is the same post however often a test sends it. The
# tests of the child processes run on the system's clock, so it is recent.
_RECEIVED = datetime.now(MOSCOW) - timedelta(minutes=10)


def new_complaint(n: int, **overrides: Any) -> Register:
    fields: dict[str, Any] = dict(
        channel="vk",
        source_ref=f"wall-1_{n}",
        author_ref=f"vk:{n}",
        text=f"Не горит фонарь у дома {n} по Пушкинской",
        received_at=_RECEIVED,
        actor="intake:vk",
        author_name="Иван Петров",
    )
    return Register(**{**fields, **overrides})
