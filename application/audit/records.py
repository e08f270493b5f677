from application.countersign import Countersigned


class AuditRecords(Countersigned):
    """The auditors' own event store: log checkpoints and who read personal data, kept apart
    from the complaints so that sealing the complaints' log never writes into it."""

    name = "Audit"
