"""An API worker's services and the child processes it hands work to: registrations over HTTP
are built and committed in one, the embedded projections followed in another, when the store
and the clock are ones a child can share. What the services are is built in services.py."""

from adapters.config import Settings
from application.clock import Clock, SystemClock
from application.projections.readmodels import ReadModels
from application.triage import Triage
from interfaces.child_process import child_processes_can_share
from interfaces.http.metrics_instruments import REGISTRATION_BATCHES
from interfaces.projection_process import ProjectionProcess
from interfaces.registration_process import RegistrationProcess
from interfaces.services import Services, build_services

# Services too: the tests and benchmarks that bootstrap a worker name its type from here.
__all__ = ["Services", "bootstrap", "embedded_projections"]


def bootstrap(
    settings: Settings | None = None, *, clock: Clock | None = None, triage: Triage | None = None
) -> Services:
    settings, clock = settings or Settings(), clock or SystemClock()
    if settings.registration_process and child_processes_can_share(settings, clock):
        child = RegistrationProcess(settings)
        return build_services(
            settings,
            clock=clock,
            triage=triage,
            register_many=child.register_many,
            on_close=child.close,
            on_batch=REGISTRATION_BATCHES.observe,
        )
    return build_services(settings, clock=clock, triage=triage, on_batch=REGISTRATION_BATCHES.observe)


def embedded_projections(services: Services) -> ReadModels | ProjectionProcess:
    """What follows the store for the views when the worker embeds them."""
    if services.settings.projection_process and child_processes_can_share(services.settings, services.clock):
        return ProjectionProcess(services.settings, services.read_models)
    return services.read_models
