"""The reaction clock as a person reads it: time left to the 2 h target and the 4 h norm.

The page's script (static/console.js) updates the same words every second from the deadlines
the server gives; this is the text the page is first rendered with, and the text without script.
"""

from datetime import datetime, timedelta

_NORM = "до\u00a04\u00a0ч:\u00a0"


def duration(span: timedelta) -> str:
    """h:mm:ss, never negative."""
    seconds = max(int(span.total_seconds()), 0)
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def clock_text(
    *,
    running: bool,
    received_at: datetime,
    target: datetime,
    deadline: datetime,
    reacted_at: datetime | None,
    now: datetime,
) -> str:
    if not running:
        if reacted_at is None:
            return "Часы остановлены"
        return f"Реакция за {duration(reacted_at - received_at)}"
    # No-break spaces inside each countdown: a narrow cell wraps only between the two.
    if now <= target:
        return f"До\u00a02\u00a0ч:\u00a0{duration(target - now)}\u00a0· {_NORM}{duration(deadline - now)}"
    if now <= deadline:
        return f"2 ч истекли\u00a0· {_NORM}{duration(deadline - now)}"
    return f"Просрочено на {duration(now - deadline)}"
