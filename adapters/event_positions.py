"""Positions of one complaint's events in the global log, read from each store's own table."""

from uuid import UUID

from eventsourcing.persistence import ApplicationRecorder
from eventsourcing.popo import POPOApplicationRecorder
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder
from psycopg.sql import SQL, Identifier


class RecorderEventPositions:
    """The library keeps positions in its tables but does not return them per aggregate."""

    def __init__(self, recorder: ApplicationRecorder) -> None:
        self.recorder = recorder

    def of(self, originator_id: UUID) -> dict[int, int]:
        recorder = self.recorder
        if isinstance(recorder, SQLiteApplicationRecorder):
            with recorder.datastore.transaction(commit=False) as cursor:
                cursor.execute(
                    f"SELECT originator_version, rowid FROM {recorder.events_table_name} "  # noqa: S608
                    "WHERE originator_id = ?",
                    (originator_id.hex,),
                )
                return {int(row[0]): int(row[1]) for row in cursor.fetchall()}
        if isinstance(recorder, PostgresApplicationRecorder):
            statement = SQL(
                "SELECT originator_version, notification_id FROM {schema}.{table} WHERE originator_id = %s"
            ).format(schema=Identifier(recorder.datastore.schema), table=Identifier(recorder.events_table_name))
            with recorder.datastore.transaction(commit=False) as cursor:
                cursor.execute(statement, (originator_id,))
                return {int(row["originator_version"]): int(row["notification_id"]) for row in cursor.fetchall()}
        if isinstance(recorder, POPOApplicationRecorder):
            return {
                stored.originator_version: index + 1
                for index, stored in enumerate(recorder._stored_events)  # noqa: SLF001 - no public accessor
                if stored.originator_id == originator_id
            }
        raise TypeError(f"no position reader for {type(recorder).__name__}")
