"""Every view adapter passes the library's own tracking-recorder test case."""

import os
import tempfile
from uuid import uuid4

import psycopg
import pytest
from eventsourcing.persistence import InfrastructureFactory
from eventsourcing.tests.persistence import TrackingRecorderTestCase
from eventsourcing.utils import Environment

from adapters.views.factory import POSTGRES, SQLITE
from adapters.views.sql import SQLView

POSTGRES_DSN = os.environ.get("MCU_TEST_POSTGRES_DSN", "host=127.0.0.1 port=5432 dbname=test user=postgres")


class _SQLiteViews:
    """Builds the recorder under test; mixed into the library's test case below."""

    view_class: type[SQLView]

    def create_recorder(self) -> SQLView:
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        env = {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": f"{folder.name}/view.sqlite3"}
        view = InfrastructureFactory.construct(Environment(self.view_class.prefix, env)).tracking_recorder(
            self.view_class
        )
        self.addCleanup(view.close)
        return view


class _PostgresViews:
    view_class: type[SQLView]

    def create_recorder(self) -> SQLView:
        try:
            connection = psycopg.connect(POSTGRES_DSN, autocommit=True, connect_timeout=2)
        except psycopg.Error:
            if os.environ.get("MCU_REQUIRE_POSTGRES") == "1":
                raise
            pytest.skip("no PostgreSQL")
        schema = f"mcu_view_{uuid4().hex[:12]}"
        with connection:
            connection.execute(f'CREATE SCHEMA "{schema}"')
        self.addCleanup(self._drop, schema)
        params = psycopg.conninfo.conninfo_to_dict(POSTGRES_DSN)
        env = {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": str(params["dbname"]),
            "POSTGRES_HOST": str(params.get("host", "127.0.0.1")),
            "POSTGRES_PORT": str(params.get("port", 5432)),
            "POSTGRES_USER": str(params.get("user", "postgres")),
            "POSTGRES_PASSWORD": str(params.get("password", "")),
            "POSTGRES_SCHEMA": schema,
        }
        view = InfrastructureFactory.construct(Environment(self.view_class.prefix, env)).tracking_recorder(
            self.view_class
        )
        self.addCleanup(view.close)
        return view

    @staticmethod
    def _drop(schema: str) -> None:
        with psycopg.connect(POSTGRES_DSN, autocommit=True) as connection:
            connection.execute(f'DROP SCHEMA "{schema}" CASCADE')


# One test case class per adapter, named after it, so a failure names the view and the store.
for _name, _class in SQLITE.items():
    globals()[f"Test{_class.__name__}"] = type(
        f"Test{_class.__name__}", (_SQLiteViews, TrackingRecorderTestCase), {"view_class": _class}
    )
for _name, _class in POSTGRES.items():
    globals()[f"Test{_class.__name__}"] = pytest.mark.postgres(
        type(f"Test{_class.__name__}", (_PostgresViews, TrackingRecorderTestCase), {"view_class": _class})
    )
del _name, _class
