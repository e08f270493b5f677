"""Reading a complaint's author: only on purpose, and every read is recorded."""

from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from application.audit.records import AuditRecords
from application.clock import Clock
from application.complaints import ComplaintService
from application.personal_data import AuthorDetails, PersonalData
from domain.disclosure import PersonalDataReads, Read

_RETRIES = 5


class PersonalDataAccess:
    def __init__(
        self, complaints: ComplaintService, personal_data: PersonalData, records: AuditRecords, clock: Clock
    ) -> None:
        self.complaints = complaints
        self.personal_data = personal_data
        self.records = records
        self.clock = clock

    def reveal(self, complaint_id: UUID, *, reader: str) -> AuthorDetails | None:
        """The author for this reader, recorded as a read; None once the citizen is forgotten."""
        author = self.personal_data.open(self.complaints.get(complaint_id).author_ref)
        if author is not None:
            self._record(complaint_id, reader)
        return author

    def reads(self, complaint_id: UUID) -> list[Read]:
        self.complaints.get(complaint_id)  # unknown complaints are a 404, not an empty list
        try:
            return self.records.repository.get(PersonalDataReads.create_id(complaint_id)).reads
        except AggregateNotFoundError:
            return []

    def forget(self, subject: str) -> bool:
        return self.personal_data.forget(subject)

    def _record(self, complaint_id: UUID, reader: str) -> None:
        for _ in range(_RETRIES):
            try:
                log = self.records.repository.get(PersonalDataReads.create_id(complaint_id))
            except AggregateNotFoundError:
                log = PersonalDataReads.start(complaint_id, at=self.clock.now())
            log.disclose_to(reader, at=self.clock.now())
            try:
                self.records.save(log)
                return
            except IntegrityError:
                continue  # two readers at once: record ours after theirs
        raise RuntimeError("could not record the read of personal data; refusing to disclose")
