"""Every setting of the service, read from MCU_* environment variables (or a .env file)."""

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Literal

from psycopg.conninfo import make_conninfo
from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from application.accounts import Throttle
from domain.reaction import ReactionPolicy


class VkCommunity(BaseModel):
    """A VK community whose Callback API events come to ``/hooks/vk``: the administration's own,
    or a city public that sends its events to the centre."""

    # A misspelt key is an error at start, not a community silently without its secret.
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: int = Field(gt=0, description="the community's id, as VK sends it in group_id")
    confirmation_code: str = Field("", description="the string VK's confirmation request must be answered")
    secret: SecretStr = Field(SecretStr(""), description="the Callback API's secret key, where one is set")
    token: SecretStr = Field(SecretStr(""), description="the community's token: replies there are written with it")
    relays: bool = Field(
        False, description="a city public whose own posts relay residents' complaints; false: its posts are its own"
    )


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MCU_", env_file=".env", extra="ignore")

    store: Literal["sqlite", "postgres", "memory"] = Field(
        "sqlite", description="event store: embedded SQLite file, PostgreSQL, or in-memory"
    )
    data_dir: Path = Field(Path("var"), description="folder of the SQLite file")
    sqlite_lock_timeout: int = Field(10, ge=1, description="seconds to wait for the SQLite write lock")

    postgres_host: str = "127.0.0.1"
    postgres_port: int = 5432
    postgres_dbname: str = "mcu"
    postgres_user: str = "postgres"
    postgres_password: SecretStr = SecretStr("")
    postgres_schema: str = Field("", description="schema for the tables; empty for the default")
    # Per pool: a process has one for its applications and one for its views (docs/operations.md: the
    # formula); they add up across processes against the server's max_connections.
    postgres_pool_size: int = Field(2, ge=1, description="connections each pool of a process keeps open")
    postgres_max_overflow: int = Field(4, ge=0, description="extra connections each pool opens under load")
    postgres_connect_timeout: int = Field(5, ge=1, description="seconds")
    postgres_lock_timeout: int = Field(5, ge=0, description="seconds to wait for the table lock")

    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    workers: int = Field(1, ge=1)
    access_log: bool = Field(
        False, description="a log line per request from uvicorn; off as the proxy in front keeps them"
    )
    log_format: Literal["text", "json"] = Field(
        "text", description="log lines as uvicorn's text or one JSON object a line, with the request's id"
    )
    metrics_port: int = Field(
        0, ge=0, le=65535, description="also serve /metrics without a token on this port; 0: only on the API"
    )
    metrics_host: str = Field("127.0.0.1", description="interface of the metrics port: an internal network's")
    public_url: str = Field(
        "http://127.0.0.1:8000",
        pattern=r"^https?://[^\s/]+(/\S*)?$",
        description="where clients reach the service (Open311 discovery names it); never the Host header",
    )
    max_body_bytes: int = Field(64 * 1024, ge=1024, description="larger request bodies get 413")
    # Without a token (Open311, webhooks, the docs): per client address and per key, in each
    # worker process's memory. The networks' webhooks come from few addresses, hence their own.
    rate_limit_per_minute: int = Field(
        300, ge=0, description="calls a minute per client address and per key without a token; 0: no limit"
    )
    # A busy evening brings 2,000 posts in 20 s from one network (tests/e2e/test_webhook_burst.py):
    # twice that rate passes, a flood beyond it does not.
    rate_limit_hooks_per_minute: int = Field(
        12_000, ge=0, description="webhook calls a minute per network address and per secret; 0: no limit"
    )
    rate_limit_burst: int = Field(100, ge=1, description="calls at once before the per-minute rate applies")
    # Slow clients: each open connection holds a worker's memory and a file descriptor.
    header_timeout_seconds: float = Field(10.0, gt=0, description="a request's headers must arrive within this")
    body_timeout_seconds: float = Field(30.0, gt=0, description="a request's body must arrive within this")
    idle_timeout_seconds: int = Field(5, ge=1, description="an idle keep-alive connection is closed after this")
    forwarded_allow_ips: str = Field(
        "127.0.0.1", description="proxies whose X-Forwarded-For names the client (rate limits are per client)"
    )
    registration_process: bool = Field(
        True, description="registrations over HTTP are built and committed by a child process of each worker"
    )
    token_cache_seconds: float = Field(
        2.0, ge=0, description="a verified API token is trusted this long before it is read again; 0: every request"
    )

    # The console's people: sessions in a store under the data folder, shared by the workers.
    session_idle_hours: float = Field(8.0, gt=0, description="a console session unused this long ends")
    session_store: Literal["file", "redis"] = Field(
        "file",
        description="where sessions, failed logins and tokens' last use are kept: files in the data folder "
        "(the workers of one machine), or Redis (several machines behind one balancer)",
    )
    redis_url: SecretStr = Field(
        SecretStr("redis://127.0.0.1:6379/0"), description="the Redis of MCU_SESSION_STORE=redis"
    )
    secure_cookies: bool = Field(
        False, description="the console is served over HTTPS (directly or by the proxy): its cookies are Secure"
    )
    code_lifetime_hours: float = Field(
        24.0, gt=0, description="a one-time code not used this long stops working; the head of shift gives a new one"
    )
    login_attempts: int = Field(5, ge=1, description="failed logins in a row before the login is refused a while")
    login_lockout_minutes: float = Field(15.0, gt=0, description="how long a login is refused after those")
    login_slowdown_seconds: float = Field(
        1.0, ge=0, description="wait after a first failed login; doubles with each further one"
    )

    reaction_norm_hours: float = Field(4.0, gt=0)
    reaction_target_hours: float = Field(2.0, gt=0)
    resolution_days: float = Field(30.0, gt=0)

    embedded_projections: bool = Field(
        True, description="keep the views current inside each API process; false where `mcu project` does"
    )
    projection_process: bool = Field(
        True, description="embedded projections run in a child process of each worker, on another core"
    )
    read_wait_seconds: float = Field(
        2.0, ge=0, description="how long a query waits for the views to reach the store's last event"
    )
    projection_batch_size: int = Field(
        500, ge=1, le=10_000, description="events applied to a view per transaction when catching up"
    )

    # Channels: intake from the social networks and ПОС, replies on the same channel. A
    # channel without its token is off. URLs are settings so tests point them at fakes.
    intake_poll_seconds: float = Field(60.0, gt=0, description="seconds between two polls of a source")
    intake_lease_seconds: float = Field(
        60.0, gt=0, description="a webhook's post not taken this long after its receipt is taken by any process"
    )
    incident_window_hours: float = Field(
        72.0, gt=0, description="a post joins the incident at its address and category if the last came within this"
    )
    routing_table: Path | None = Field(None, description="CSV category,district,organisation; empty: Rostov's")
    channel_timeout_seconds: float = Field(10.0, gt=0, description="per request to a network")
    channel_attempts: int = Field(3, ge=1, description="tries within one request before backing off")
    channel_backoff_seconds: float = Field(5.0, gt=0, description="first wait after a failure; doubles")
    channel_backoff_cap_seconds: float = Field(3600.0, gt=0, description="longest wait after failures")
    channel_max_inline_wait_seconds: float = Field(
        2.0, ge=0, description="longer waits are left to the poller or the reply process"
    )
    replies_embedded: bool = Field(
        True,
        description="run the reply process inside `mcu serve` while a channel is configured; "
        "false where `mcu replies` runs on its own",
    )
    reply_max_attempts: int = Field(8, ge=1, description="sends of one reply before it is failed")
    reply_lease_seconds: float = Field(
        120.0, gt=0, description="a send unanswered this long is checked with the network"
    )
    vk_api_url: str = "https://api.vk.com"
    vk_service_token: SecretStr = Field(SecretStr(""), description="reads walls, comments, search")
    vk_community_token: SecretStr = Field(SecretStr(""), description="the community's: writes replies")
    vk_community_id: int = Field(0, ge=0, description="the administration's community (callback, replies)")
    vk_callback_secret: SecretStr = SecretStr("")
    vk_confirmation_code: str = ""
    vk_communities: list[VkCommunity] = Field(
        default_factory=list, description="the communities whose callbacks come in, besides MCU_VK_COMMUNITY_ID's"
    )
    vk_walls: list[int] = Field(default_factory=list, description="communities whose walls are polled")
    vk_search_queries: list[str] = Field(default_factory=list, description="newsfeed.search keywords")
    telegram_api_url: str = "https://api.telegram.org"
    telegram_token: SecretStr = SecretStr("")
    telegram_webhook_secret: SecretStr = SecretStr("")
    telegram_chats: list[int] = Field(default_factory=list, description="chats read; empty: every chat")
    telegram_polling: bool = Field(False, description="getUpdates instead of the webhook")
    telegram_poll_wait_seconds: int = Field(25, ge=0, le=50, description="long-poll hold")
    ok_api_url: str = "https://api.ok.ru"
    ok_application_key: str = ""
    ok_secret_key: SecretStr = SecretStr("")
    ok_access_token: SecretStr = SecretStr("")
    ok_group_id: str = ""
    pos_api_url: str = ""
    pos_token: SecretStr = SecretStr("")

    audit_key: SecretStr = Field(
        SecretStr(""), description="key sealing the log's checkpoints; empty: a key file in the data dir"
    )
    audit_checkpoint_size: int = Field(1000, ge=1, description="events per checkpoint")

    @model_validator(mode="after")
    def _one_entry_per_community(self) -> "Settings":
        ids = [community.id for community in self.callback_communities()]
        if len(ids) != len(set(ids)):
            raise ValueError("a VK community is configured twice (MCU_VK_COMMUNITIES, MCU_VK_COMMUNITY_ID)")
        return self

    def callback_communities(self) -> list[VkCommunity]:
        """Every VK community configured, the single-community settings (MCU_VK_COMMUNITY_ID and
        the settings beside it) first: so set up before the list, a service keeps working."""
        single = []
        if self.vk_community_id:
            single.append(
                VkCommunity(
                    id=self.vk_community_id,
                    confirmation_code=self.vk_confirmation_code,
                    secret=self.vk_callback_secret,
                    token=self.vk_community_token,
                )
            )
        return [*single, *self.vk_communities]

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "mcu.sqlite3"

    def audit_key_bytes(self) -> bytes:
        """The checkpoint key: the setting, else one generated once and kept beside the store.

        Several machines on one PostgreSQL must share MCU_AUDIT_KEY; a key file is per machine.
        """
        if self.audit_key.get_secret_value():
            return self.audit_key.get_secret_value().encode("utf-8")
        if self.store == "memory":
            return secrets.token_bytes(32)
        path = self.data_dir / "audit.key"
        if not path.exists():
            self.data_dir.mkdir(parents=True, exist_ok=True)
            # Written whole under another name and linked into place: processes starting
            # together all read the one key that got there first, never a half-written file.
            written = self.data_dir / f".audit.key.{os.getpid()}.{secrets.token_hex(4)}"
            descriptor = os.open(written, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "w") as key_file:
                key_file.write(secrets.token_hex(32))
                key_file.flush()
                os.fsync(key_file.fileno())
            try:
                os.link(written, path)
            except FileExistsError:
                pass
            finally:
                written.unlink()
            # The key's name on disk too, before any event is countersigned with the key.
            folder = os.open(self.data_dir, os.O_RDONLY)
            try:
                os.fsync(folder)
            finally:
                os.close(folder)
        return path.read_text().strip().encode("utf-8")

    def postgres_conninfo(self) -> str:
        return make_conninfo(
            host=self.postgres_host,
            port=self.postgres_port,
            dbname=self.postgres_dbname,
            user=self.postgres_user,
            password=self.postgres_password.get_secret_value() or None,
            connect_timeout=self.postgres_connect_timeout,
        )

    def login_throttle(self) -> Throttle:
        return Throttle(
            slow=timedelta(seconds=self.login_slowdown_seconds),
            limit=self.login_attempts,
            lockout=timedelta(minutes=self.login_lockout_minutes),
        )

    def reaction_policy(self) -> ReactionPolicy:
        return ReactionPolicy(
            norm=timedelta(hours=self.reaction_norm_hours),
            target=timedelta(hours=self.reaction_target_hours),
            resolution=timedelta(days=self.resolution_days),
        )

    def eventsourcing_env(self) -> dict[str, str]:
        """The persistence settings in the form the eventsourcing library reads them."""
        if self.store == "memory":
            return {"PERSISTENCE_MODULE": "adapters.memory_store:InMemoryFactory"}
        if self.store == "sqlite":
            self.data_dir.mkdir(parents=True, exist_ok=True)
            return {
                "PERSISTENCE_MODULE": "adapters.sqlite_store:PerApplicationTablesFactory",
                "SQLITE_DBNAME": str(self.sqlite_path),
                "SQLITE_LOCK_TIMEOUT": str(self.sqlite_lock_timeout),
            }
        env = {
            "PERSISTENCE_MODULE": "adapters.postgres_pool:SharedPoolFactory",
            "POSTGRES_DBNAME": self.postgres_dbname,
            "POSTGRES_HOST": self.postgres_host,
            "POSTGRES_PORT": str(self.postgres_port),
            "POSTGRES_USER": self.postgres_user,
            "POSTGRES_PASSWORD": self.postgres_password.get_secret_value(),
            "POSTGRES_POOL_SIZE": str(self.postgres_pool_size),
            "POSTGRES_MAX_OVERFLOW": str(self.postgres_max_overflow),
            "POSTGRES_CONNECT_TIMEOUT": str(self.postgres_connect_timeout),
            # Checked before use, so a restarted server costs failed requests, not a dead pool.
            "POSTGRES_PRE_PING": "y",
            "POSTGRES_LOCK_TIMEOUT": str(self.postgres_lock_timeout),
        }
        if self.postgres_schema:
            env["POSTGRES_SCHEMA"] = self.postgres_schema
        return env
