"""The Bot API webhook: only requests carrying our secret token are Telegram's."""

import hmac

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def is_from_telegram(header_value: str | None, secret: str) -> bool:
    return bool(secret) and header_value is not None and hmac.compare_digest(header_value.encode(), secret.encode())
