"""The application's own errors, so interfaces never need to know the persistence library."""

from uuid import UUID


class ApplicationError(Exception):
    pass


class ComplaintNotFound(ApplicationError):
    def __init__(self, complaint_id: UUID) -> None:
        self.complaint_id = complaint_id
        super().__init__(f"no complaint with id {complaint_id}")


class StaleVersion(ApplicationError):
    """The caller acted on a version that is no longer the latest: nothing was recorded."""

    def __init__(self, complaint_id: UUID, expected: int, actual: int | None) -> None:
        self.complaint_id = complaint_id
        self.expected = expected
        self.actual = actual
        now = "changed concurrently" if actual is None else f"is now at version {actual}"
        super().__init__(
            f"complaint {complaint_id} was expected at version {expected} but {now}; "
            "read it again and repeat the command if it still applies"
        )


class Busy(ApplicationError):
    """Concurrent writers kept winning; the command was not recorded and may be repeated."""


class StoreUnreachable(ApplicationError):
    """The store could not be opened: the message says which and what to do, with no data."""
