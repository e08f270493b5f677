"""Webhooks of the networks. Each proves itself with its own secret, not a bearer token."""

import logging
from typing import Annotated, Any

from litestar import MediaType, Response, post
from litestar.background_tasks import BackgroundTask
from litestar.di import NamedDependency
from litestar.params import HeaderParameter, JSONBody

from adapters.telegram.translate import from_update
from adapters.telegram.webhook import SECRET_HEADER, is_from_telegram
from application.intake.source import Post
from domain.errors import DomainError
from interfaces.bootstrap import Services
from interfaces.channels import Channels

log = logging.getLogger("mcu.hooks")


def _take_all(channels: Channels, posts: list[Post]) -> None:
    for citizen_post in posts:
        try:
            channels.intake.receive(citizen_post)
        except Exception as error:  # noqa: BLE001 - VK has its "ok"; polling brings the post again
            log.error("a VK callback post was not taken (%s); polling will retry", type(error).__name__)


@post(
    "/hooks/vk",
    operation_id="vkCallback",
    tags=["hooks"],
    exclude_from_auth=True,
    status_code=200,
    media_type=MediaType.TEXT,
    security=[],
    summary="VK Callback API: confirmation, wall_post_new, wall_reply_new",
    description="Checked by the community's secret. Answers `ok` at once; the post is taken "
    "after the answer, and the wall poller finds it again if that fails.",
)
async def vk_callback(data: JSONBody[dict[str, Any]], services: NamedDependency[Services]) -> Response[str]:
    callback = services.channels.vk_callback
    if callback is None:
        return Response("VK is not configured", status_code=404, media_type=MediaType.TEXT)
    answer = callback.handle(data)
    background = BackgroundTask(_take_all, services.channels, answer.posts) if answer.posts else None
    return Response(answer.body, status_code=answer.status, media_type=MediaType.TEXT, background=background)


@post(
    "/hooks/telegram",
    operation_id="telegramWebhook",
    tags=["hooks"],
    exclude_from_auth=True,
    status_code=200,
    sync_to_thread=True,
    security=[],
    summary="Telegram Bot API webhook (an Update)",
    description=f"Checked by the `{SECRET_HEADER}` header set with setWebhook. The update is taken "
    "before the answer, so a failure answers 500 and Telegram delivers it again.",
)
def telegram_webhook(
    data: JSONBody[dict[str, Any]],
    services: NamedDependency[Services],
    secret: Annotated[str | None, HeaderParameter(name=SECRET_HEADER, required=False)] = None,
) -> Response[dict[str, Any]]:
    if not is_from_telegram(secret, services.channels.telegram_secret):
        return Response({"ok": False}, status_code=403)
    citizen_post = from_update(data, chats=services.settings.telegram_chats)
    if citizen_post is not None:
        try:
            services.channels.intake.receive(citizen_post)
        except DomainError as error:
            # Refused for good (an empty or future-dated message): a retry would be refused too.
            log.warning("a Telegram update was refused: %s", type(error).__name__)
    return Response({"ok": True})
