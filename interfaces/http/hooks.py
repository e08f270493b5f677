"""Webhooks of the networks. Each proves itself with its own secret, not a bearer token.

A post is recorded in the intake outbox before the network is answered, and taken from that
record by the intake worker: an answered post is never lost, and the answer waits for one
write only. A payload with our secret but without the shape of the network's schema is a
400, which the network does not repeat.
"""

from typing import Annotated, Any

from litestar import Controller, MediaType, Request, Response, post
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import HeaderParameter, JSONBody

from adapters.telegram.shapes import parse_update
from adapters.telegram.translate import post_of
from adapters.telegram.webhook import SECRET_HEADER, is_from_telegram
from application.intake.source import MalformedPost, Post, Removal
from interfaces.channels import Channels
from interfaces.http.problems import problem


def _malformed(_: Request, exc: MalformedPost) -> Response[dict[str, Any]]:
    return problem(400, str(exc))


def _record(channels: Channels, posts: list[Post | Removal]) -> None:
    for citizen_post in posts:
        entry_id = channels.outbox.record(citizen_post)
        if entry_id is not None:  # None: received before, and taken from that record
            channels.intake_worker.hand(entry_id)


class HookController(Controller):
    path = "/hooks"
    tags = ["hooks"]
    # Each network proves itself with its own secret, not a bearer token.
    opt = {"exclude_from_auth": True}
    exception_handlers = {MalformedPost: _malformed}
    security = []

    @post(
        "/vk",
        operation_id="vkCallback",
        status_code=200,
        media_type=MediaType.TEXT,
        sync_to_thread=True,
        responses={
            403: ResponseSpec(str, description="not the community or not its secret", media_type=MediaType.TEXT),
            404: ResponseSpec(str, description="VK is not configured", media_type=MediaType.TEXT),
        },
        summary="VK Callback API: confirmation, wall_post_new, wall_reply_new, _edit, _delete, _restore",
        description="Checked by the community's secret. Answers `ok` once the post is recorded; "
        "it is taken into intake from that record.",
    )
    def vk_callback(self, data: JSONBody[dict[str, Any]], channels: NamedDependency[Channels]) -> Response[str]:
        callback = channels.vk_callback
        if callback is None:
            return Response("VK is not configured", status_code=404, media_type=MediaType.TEXT)
        answer = callback.handle(data)
        _record(channels, answer.posts)
        return Response(answer.body, status_code=answer.status, media_type=MediaType.TEXT)

    @post(
        "/telegram",
        operation_id="telegramWebhook",
        status_code=200,
        sync_to_thread=True,
        responses={403: ResponseSpec(dict[str, bool], description='not our secret token: {"ok": false}')},
        summary="Telegram Bot API webhook (an Update)",
        description=f"Checked by the `{SECRET_HEADER}` header set with setWebhook. Answers 200 once the "
        "message is recorded; it is taken into intake from that record.",
    )
    def telegram_webhook(
        self,
        data: JSONBody[dict[str, Any]],
        channels: NamedDependency[Channels],
        secret: Annotated[str | None, HeaderParameter(name=SECRET_HEADER, required=False)] = None,
    ) -> Response[dict[str, Any]]:
        if not is_from_telegram(secret, channels.telegram_secret):
            return Response({"ok": False}, status_code=403)
        # The chats from the channels' own settings: a second dependency would have Litestar
        # resolve the two in a task group, for every update.
        citizen_post = post_of(parse_update(data), chats=channels.settings.telegram_chats)
        _record(channels, [citizen_post] if citizen_post is not None else [])
        return Response({"ok": True})
