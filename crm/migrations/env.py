"""Alembic environment: runs on the connection `crm.migrate.upgrade` hands over."""

from __future__ import annotations

from alembic import context

from crm.database import get_engine


def run() -> None:
    """Online migrations only: the database is always reachable through `crm.database`."""
    connection = context.config.attributes.get("connection")
    if connection is None:
        with get_engine().begin() as connection:
            _migrate(connection)
    else:
        _migrate(connection)


def _migrate(connection) -> None:
    connection.exec_driver_sql("select pg_advisory_xact_lock(7301)")  # one migrator at a time
    context.configure(connection=connection, version_table_schema="public")
    with context.begin_transaction():
        context.run_migrations()


run()
