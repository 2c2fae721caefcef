"""Apply the Alembic migrations that own the `raw`, `app` and `ml` schemas.

Called on start-up by every command that touches the database (API, pipeline, imports),
so an upgrade evolves the tables in place and never loses data.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from crm.database import get_engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config() -> Config:
    """An Alembic config pointing at our migrations folder (no alembic.ini needed)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def upgrade() -> None:
    """Bring the database to the newest revisions; a no-op when it is already there.

    `heads`: each area (landing, identity, models, conversations) evolves its own
    branch of migrations from the landing tables, so they never conflict.
    """
    with get_engine().begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "heads")
