"""Every setting of the service, read from MCU_* environment variables (or a .env file)."""

from datetime import timedelta
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from domain.reaction import ReactionPolicy


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
    postgres_pool_size: int = Field(5, ge=1)
    postgres_max_overflow: int = Field(10, ge=0)
    postgres_connect_timeout: int = Field(5, ge=1, description="seconds")
    postgres_lock_timeout: int = Field(5, ge=0, description="seconds to wait for the table lock")

    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    workers: int = Field(1, ge=1)
    max_body_bytes: int = Field(64 * 1024, ge=1024, description="larger request bodies get 413")

    reaction_norm_hours: float = Field(4.0, gt=0)
    reaction_target_hours: float = Field(2.0, gt=0)
    resolution_days: float = Field(30.0, gt=0)

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "mcu.sqlite3"

    def reaction_policy(self) -> ReactionPolicy:
        return ReactionPolicy(
            norm=timedelta(hours=self.reaction_norm_hours),
            target=timedelta(hours=self.reaction_target_hours),
            resolution=timedelta(days=self.resolution_days),
        )

    def eventsourcing_env(self) -> dict[str, str]:
        """The persistence settings in the form the eventsourcing library reads them."""
        if self.store == "memory":
            return {"PERSISTENCE_MODULE": "eventsourcing.popo"}
        if self.store == "sqlite":
            self.data_dir.mkdir(parents=True, exist_ok=True)
            return {
                "PERSISTENCE_MODULE": "eventsourcing.sqlite",
                "SQLITE_DBNAME": str(self.sqlite_path),
                "SQLITE_LOCK_TIMEOUT": str(self.sqlite_lock_timeout),
            }
        env = {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
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
