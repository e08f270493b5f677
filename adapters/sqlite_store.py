"""SQLite persistence with one events table per application, as the library's PostgreSQL
module names them (``complaints_events``, ``access_events``, ...).

The library's SQLite factory puts every application into one ``stored_events`` table, which
would interleave tokens and checkpoints with complaints in the one log auditors seal and
projections follow.
"""

from eventsourcing.persistence import ApplicationRecorder, ProcessRecorder
from eventsourcing.sqlite import SQLiteFactory


class PerApplicationTablesFactory(SQLiteFactory):
    def application_recorder(self) -> ApplicationRecorder:
        recorder = self.application_recorder_class(datastore=self.datastore, events_table_name=self._table())
        if self.env_create_table():
            recorder.create_table()
        return recorder

    def process_recorder(self) -> ProcessRecorder:
        recorder = self.process_recorder_class(datastore=self.datastore, events_table_name=self._table())
        if self.env_create_table():
            recorder.create_table()
        return recorder

    def _table(self) -> str:
        return f"{self.env.name.lower()}_events"
