"""Telegram: the Bot API webhook and getUpdates polling, replies with sendMessage."""
