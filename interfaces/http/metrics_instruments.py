"""The instruments our own code moves, beside the HTTP middleware's: kept apart from the
/metrics route so that the composition root can hand them out without importing Litestar's."""

from prometheus_client import Histogram

# A batch is at most the group commit's 256; powers of two show how much committing together saves.
REGISTRATION_BATCHES = Histogram(
    "mcu_registration_batch_size",
    "Registrations committed together in one transaction by a worker's group commit",
    buckets=(1, 2, 4, 8, 16, 32, 64, 128, 256),
)
