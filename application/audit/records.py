from uuid import UUID

from eventsourcing.application import Application


class AuditRecords(Application[UUID]):
    """The auditors' own event store: log checkpoints and who read personal data, kept apart
    from the complaints so that sealing the complaints' log never writes into it."""

    name = "Audit"
