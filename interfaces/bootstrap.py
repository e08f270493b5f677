"""The composition root: the one place that builds the application with its adapters."""

from dataclasses import dataclass

from adapters.config import Settings
from application.access import AccessService
from application.clock import Clock, SystemClock
from application.complaints import ComplaintService


@dataclass
class Services:
    settings: Settings
    clock: Clock
    complaints: ComplaintService
    access: AccessService

    def close(self) -> None:
        self.complaints.close()
        self.access.close()


def bootstrap(settings: Settings | None = None, *, clock: Clock | None = None) -> Services:
    settings = settings or Settings()
    clock = clock or SystemClock()
    env = settings.eventsourcing_env()
    return Services(
        settings=settings,
        clock=clock,
        complaints=ComplaintService(clock=clock, policy=settings.reaction_policy(), env=env),
        access=AccessService(clock=clock, env=env),
    )
