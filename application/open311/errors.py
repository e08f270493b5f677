"""What the Open311 specification answers with 400 and 404; 403 is the interface's (the key)."""

from application.errors import ApplicationError


class InvalidRequest(ApplicationError):
    """One or more parameters are missing or wrong; each problem is reported on its own."""

    def __init__(self, *problems: str) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


class NotFound(ApplicationError):
    """No such service, request, token or jurisdiction here."""
