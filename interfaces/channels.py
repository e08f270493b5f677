"""Composition of the channels: which sources are polled and which gateways reply, from settings.

Part of the composition root: services.py builds it, and nothing else constructs these adapters.
A channel whose credentials are not set is simply absent.
"""

import threading
from collections.abc import Callable
from datetime import timedelta
from functools import cached_property
from typing import Any

from adapters.config import Settings
from adapters.gosuslugi.client import PosApi
from adapters.gosuslugi.gateway import PosReplyGateway
from adapters.gosuslugi.sources import PosFeed
from adapters.heartbeats import heartbeats_beside
from adapters.ok.client import OkApi
from adapters.ok.gateway import OkReplyGateway
from adapters.ok.sources import OkGroupSource
from adapters.routing import ROSTOV, load_routing_table
from adapters.telegram.client import BotApi
from adapters.telegram.gateway import TelegramReplyGateway
from adapters.telegram.sources import TelegramUpdates
from adapters.vk.callback import CallbackCommunity, VkCallback
from adapters.vk.client import VkApi
from adapters.vk.gateway import VkReplyGateway, Writer
from adapters.vk.sources import VkSearchSource, VkWallSource
from application.backoff import Backoff
from application.clock import Clock
from application.complaints import ComplaintService
from application.intake.flow import Intake
from application.intake.outbox import IntakeWorker, Outbox
from application.intake.polling import Poller
from application.intake.records import IntakeRecords
from application.intake.source import Source
from application.replies.dispatcher import Dispatcher
from application.replies.follower import Follower
from application.replies.gateway import ReplyGateway
from application.replies.heartbeat import Pulse, ReplyWatch
from application.replies.process import Replies
from application.replies.worker import ReplyWorker
from application.triage import Triage

# How much of each wall is read per poll, and under how many of the latest posts new
# comments are looked for; clarification answers come under recent posts.
_WALL_POSTS, _POSTS_FOLLOWED, _SEARCH_COUNT = 20, 10, 50


class Channels:
    def __init__(
        self,
        settings: Settings,
        *,
        complaints: ComplaintService,
        clock: Clock,
        env: dict[str, str],
        triage: Callable[[], Triage],
    ) -> None:
        self.settings = settings
        self.complaints = complaints
        self.clock = clock
        # On PostgreSQL both use the process's shared pool (adapters/postgres_pool.py).
        self.records = IntakeRecords(env, clock=clock)
        self.replies = Replies(env, complaints=complaints, clock=clock)
        self.outbox = Outbox(
            self.records,
            personal_data=complaints.personal_data,
            clock=clock,
            lease=timedelta(seconds=settings.intake_lease_seconds),
        )
        self.intake_worker = IntakeWorker(self.outbox, lambda: self.intake)
        self.backoff = Backoff(settings.channel_backoff_seconds, settings.channel_backoff_cap_seconds)
        self._triage = triage
        self._clients: list[Any] = []
        self.sources: list[Source] = []
        self.gateways: dict[str, ReplyGateway] = {}
        self.vk_callback: VkCallback | None = None
        # The channels complaints come in from (polled or by webhook): each needs its replies sent.
        self.taking: set[str] = set()
        self._background: dict[str, tuple[threading.Thread, threading.Event]] = {}
        self._build_vk()
        self._build_telegram()
        self._build_ok()
        self._build_pos()
        self.heartbeats = heartbeats_beside(self.replies.recorder)
        self.reply_watch = ReplyWatch(self.heartbeats, clock, taking=frozenset(self.taking))

    @cached_property
    def intake(self) -> Intake:
        # Built on first use: processes that never take a post never load triage's dictionaries.
        table = self.settings.routing_table or ROSTOV
        return Intake(
            complaints=self.complaints,
            records=self.records,
            triage=self._triage(),
            routing=load_routing_table(table),
            messages=self.replies,
            incident_window=timedelta(hours=self.settings.incident_window_hours),
        )

    def poller(self) -> Poller:
        return Poller(
            intake=self.intake,
            records=self.records,
            sources=self.sources,
            interval=self.settings.intake_poll_seconds,
            backoff=self.backoff,
        )

    def reply_worker(self) -> ReplyWorker:
        dispatcher = Dispatcher(
            replies=self.replies,
            gateways=self.gateways,
            clock=self.clock,
            backoff=self.backoff,
            max_attempts=self.settings.reply_max_attempts,
            lease=timedelta(seconds=self.settings.reply_lease_seconds),
        )
        pulse = Pulse(
            self.heartbeats, self.clock, channels=tuple(sorted(self.gateways)), trouble=lambda: dispatcher.trouble
        )
        return ReplyWorker(Follower(self.complaints, self.replies), dispatcher, pulse)

    @property
    def configured(self) -> tuple[str, ...]:
        """The channels complaints come in from or replies go out on, as the settings have them."""
        return tuple(sorted(self.taking | set(self.gateways)))

    @property
    def embeds_replies(self) -> bool:
        """Whether `mcu serve` runs the reply process: by default, whenever a channel is
        configured, so a reply recorded in the console reaches the citizen without a second
        command. Where `mcu replies` runs on its own, MCU_REPLIES_EMBEDDED=false; more reply
        processes than one are safe, each delivery being claimed by one (dispatcher.py)."""
        return self.settings.replies_embedded and bool(self.configured)

    def replies_outlook(self) -> tuple[bool, str]:
        """Whether this process's settings let replies go out, and in words for the start-up
        log: the channels by name, never a token."""
        configured = self.configured
        if not configured:
            return False, "no channel is configured: no reply reaches a citizen (docs/channels.md)"
        named = f"channels configured: {', '.join(configured)}"
        without = sorted(set(configured) - set(self.gateways))
        lacking = f"; no reply gateway (token) for {', '.join(without)}: their replies fail" if without else ""
        if not self.embeds_replies:
            return False, f"{named}; replies are sent by `mcu replies` (MCU_REPLIES_EMBEDDED=false){lacking}"
        return not without, f"{named}; replies sent from this process{lacking}"

    def start_replies(self) -> None:
        """Runs the reply process in this process's background."""
        self._start("mcu-replies", self.reply_worker().run)

    def stop_replies(self) -> None:
        self._stop("mcu-replies")

    def start_intake(self) -> None:
        """Takes the posts the webhooks record, in this process's background (`mcu serve`)."""
        self._start("mcu-intake", self.intake_worker.run)

    def stop_intake(self) -> None:
        self._stop("mcu-intake")

    def _start(self, name: str, loop: Callable[[threading.Event], None]) -> None:
        if name not in self._background:
            stop = threading.Event()
            thread = threading.Thread(target=loop, args=(stop,), name=name, daemon=True)
            thread.start()
            self._background[name] = (thread, stop)

    def _stop(self, name: str) -> None:
        if name in self._background:
            thread, stop = self._background.pop(name)
            stop.set()
            thread.join()

    @property
    def telegram_secret(self) -> str:
        return self.settings.telegram_webhook_secret.get_secret_value()

    def close(self) -> None:
        self.stop_replies()
        self.stop_intake()
        for client in self._clients:
            client.close()
        self.records.close()
        self.replies.close()

    def _client_options(self) -> dict[str, Any]:
        s = self.settings
        return {
            "timeout": s.channel_timeout_seconds,
            "attempts": s.channel_attempts,
            "backoff": self.backoff,
            "max_wait": s.channel_max_inline_wait_seconds,
        }

    def _keep(self, client: Any) -> Any:
        self._clients.append(client)
        return client

    def _build_vk(self) -> None:
        s = self.settings
        communities = s.callback_communities()
        service_token = s.vk_service_token.get_secret_value()
        if communities or service_token:
            self.taking.add("vk")
        if communities:
            # The callback needs no token: a community's events come in on its secret alone.
            self.vk_callback = VkCallback(
                CallbackCommunity(
                    id=community.id,
                    confirmation_code=community.confirmation_code,
                    secret=community.secret.get_secret_value(),
                    relays=community.relays,
                )
                for community in communities
            )
        if not service_token:
            return
        reader = self._keep(VkApi(base_url=s.vk_api_url, token=service_token, **self._client_options()))
        self.sources += [
            VkWallSource(reader, community_id=community, posts=_WALL_POSTS, posts_followed=_POSTS_FOLLOWED)
            for community in s.vk_walls
        ]
        self.sources += [VkSearchSource(reader, query=query, count=_SEARCH_COUNT) for query in s.vk_search_queries]
        writers = [
            Writer(
                community_id=community.id,
                api=self._keep(
                    VkApi(base_url=s.vk_api_url, token=community.token.get_secret_value(), **self._client_options())
                ),
            )
            for community in communities
            if community.token.get_secret_value()
        ]
        if writers:
            self.gateways[VkReplyGateway.channel] = VkReplyGateway(writers=writers, reader=reader)

    def _build_telegram(self) -> None:
        s = self.settings
        token = s.telegram_token.get_secret_value()
        if token or s.telegram_webhook_secret.get_secret_value():
            # The webhook takes posts by its secret alone; without the bot's token no reply goes.
            self.taking.add("telegram")
        if not token:
            return
        bot = self._keep(BotApi(base_url=s.telegram_api_url, token=token, **self._client_options()))
        self.gateways[TelegramReplyGateway.channel] = TelegramReplyGateway(bot)
        if s.telegram_polling:
            self.sources.append(TelegramUpdates(bot, chats=s.telegram_chats, wait=s.telegram_poll_wait_seconds))

    def _build_ok(self) -> None:
        s = self.settings
        token = s.ok_access_token.get_secret_value()
        if not (token and s.ok_group_id and s.ok_application_key):
            return
        self.taking.add("ok")
        api = self._keep(
            OkApi(
                base_url=s.ok_api_url,
                application_key=s.ok_application_key,
                secret_key=s.ok_secret_key.get_secret_value(),
                access_token=token,
                **self._client_options(),
            )
        )
        self.sources.append(
            OkGroupSource(api, group_id=s.ok_group_id, topics=_WALL_POSTS, topics_followed=_POSTS_FOLLOWED)
        )
        self.gateways[OkReplyGateway.channel] = OkReplyGateway(api, group_id=s.ok_group_id)

    def _build_pos(self) -> None:
        s = self.settings
        token = s.pos_token.get_secret_value()
        if not (token and s.pos_api_url):
            return
        self.taking.add("gosuslugi")
        api = self._keep(PosApi(base_url=s.pos_api_url, token=token, **self._client_options()))
        self.sources.append(PosFeed(api))
        self.gateways[PosReplyGateway.channel] = PosReplyGateway(api)
