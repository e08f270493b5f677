"""Opens the views on the configured store, each through the library's infrastructure factory.

SQLite keeps each view in a file of its own under ``<data dir>/views`` (the library's SQLite
tracking table has one name, so views sharing a file would share a position). The in-memory
store gets the same SQLite views on private in-memory databases: one SQL implementation, and
unit tests exercise the same queries as production. PostgreSQL keeps them in the store's
schema, each with its own tracking table, all on one connection pool.
"""

from uuid import uuid4

from eventsourcing.persistence import InfrastructureFactory
from eventsourcing.utils import Environment

from adapters.config import Settings
from adapters.postgres_pool import open_datastore
from adapters.views.complaint_list import (
    PostgresComplaintListView,
    SQLiteComplaintListView,
)
from adapters.views.open311_updates import (
    PostgresOpen311UpdateView,
    SQLiteOpen311UpdateView,
)
from adapters.views.organisations import (
    PostgresOrganisationView,
    SQLiteOrganisationView,
)
from adapters.views.reaction import PostgresReactionView, SQLiteReactionView
from adapters.views.sql import SQLView
from adapters.views.volume import PostgresVolumeView, SQLiteVolumeView
from application.projections.readmodels import Views

SQLITE: dict[str, type[SQLView]] = {
    "complaint_list": SQLiteComplaintListView,
    "reaction": SQLiteReactionView,
    "volume": SQLiteVolumeView,
    "organisations": SQLiteOrganisationView,
    "open311_updates": SQLiteOpen311UpdateView,
}
POSTGRES: dict[str, type[SQLView]] = {
    "complaint_list": PostgresComplaintListView,
    "reaction": PostgresReactionView,
    "volume": PostgresVolumeView,
    "organisations": PostgresOrganisationView,
    "open311_updates": PostgresOpen311UpdateView,
}


def sqlite_env(settings: Settings, name: str) -> dict[str, str]:
    if settings.store == "memory":
        database = f"file:mcu-view-{name}-{uuid4().hex}?mode=memory&cache=shared"
    else:
        folder = settings.data_dir / "views"
        folder.mkdir(parents=True, exist_ok=True)
        database = str(folder / f"{name}.sqlite3")
    return {**settings.eventsourcing_env(), "PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": database}


def open_views(settings: Settings) -> Views:
    if settings.store != "postgres":
        return Views(
            **{
                name: InfrastructureFactory.construct(Environment(name, sqlite_env(settings, name))).tracking_recorder(
                    view_class
                )
                for name, view_class in SQLITE.items()
            }
        )  # type: ignore[arg-type]
    # One connection pool for all the views of a process, not one each: API workers and the
    # projection process together must stay well under the server's max_connections.
    datastore = open_datastore(Environment("views", settings.eventsourcing_env()))
    views = {}
    for name, view_class in POSTGRES.items():
        view = view_class(datastore=datastore, tracking_table_name=f"{name}_tracking")
        view.create_table()
        views[name] = view
    return Views(**views)  # type: ignore[arg-type]
