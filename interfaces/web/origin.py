"""Where an operator opens the citizen's original post, for the channels whose references say it.

A ПОС appeal, a call or a web form has no public page; nor has a Telegram message in a chat
without a public link (only supergroups and channels, ids -100…, have t.me/c/ links).
"""

from adapters.config import Settings
from adapters.ok.translate import parse_ref as ok_ref
from adapters.telegram.translate import parse_ref as telegram_ref
from adapters.vk.translate import parse_ref as vk_ref
from domain.complaint import Channel

_SUPERGROUP = "-100"


def original_post(channel: str, source_ref: str, settings: Settings) -> str | None:
    try:
        if channel == Channel.VK:
            owner, post, comment = vk_ref(source_ref)
            return f"https://vk.com/wall{owner}_{post}" + (f"?reply={comment}" if comment else "")
        if channel == Channel.OK and settings.ok_group_id:
            topic, _ = ok_ref(source_ref)
            return f"https://ok.ru/group/{settings.ok_group_id}/topic/{topic}"
        if channel == Channel.TELEGRAM:
            chat, message = telegram_ref(source_ref)
            if str(chat).startswith(_SUPERGROUP):
                return f"https://t.me/c/{str(chat)[len(_SUPERGROUP) :]}/{message}"
    except ValueError:
        # A reference registered by hand in another form: shown as text, not as a link.
        return None
    return None
