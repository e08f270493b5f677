"""A post to register, as tests of the worker's child processes send them."""

from datetime import datetime, timedelta, timezone
from typing import Any

from application.commands import Register

MOSCOW = timezone(timedelta(hours=3))


def new_complaint(n: int, **overrides: Any) -> Register:
    fields: dict[str, Any] = dict(
        channel="vk",
        source_ref=f"wall-1_{n}",
        author_ref=f"vk:{n}",
        text=f"Не горит фонарь у дома {n} по Пушкинской",
        received_at=datetime.now(MOSCOW) - timedelta(minutes=10),
        actor="intake:vk",
        author_name="Иван Петров",
    )
    return Register(**{**fields, **overrides})
