"""The database connection every package uses: URL resolution, engines, dbt's view of it.

`DATABASE_URL` wins; without it the embedded server is started (and left running).
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import parse_qs, unquote, urlsplit

import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url

from crm import embedded
from crm.settings import get_settings


@lru_cache
def database_url() -> str:
    """The libpq URL in use (`postgresql://...`), starting the embedded server if needed."""
    settings = get_settings()
    if settings.database_url:
        return _libpq_url(settings.database_url)
    return embedded.ensure_running(settings.crm_home)


def _libpq_url(url: str) -> str:
    """Drop any SQLAlchemy driver suffix so psql, dbt and psycopg all accept the URL."""
    scheme, _, rest = url.partition("://")
    return f"postgresql://{rest}" if scheme.startswith("postgres") else url


def sqlalchemy_url(url: str | None = None) -> URL:
    """The same URL with the psycopg 3 driver, for SQLAlchemy."""
    return make_url(url or database_url()).set(drivername="postgresql+psycopg")


@lru_cache
def get_engine() -> sa.Engine:
    """One pooled engine per process."""
    return sa.create_engine(sqlalchemy_url(), pool_pre_ping=True, future=True)


def dbt_env(url: str | None = None) -> dict[str, str]:
    """The connection split into the variables `dbt_project/profiles.yml` reads."""
    parts = urlsplit(url or database_url())
    query = parse_qs(parts.query)
    host = query.get("host", [parts.hostname or "localhost"])[0]
    return {
        "CRM_PG_HOST": host,
        "CRM_PG_PORT": str(parts.port or 5432),
        "CRM_PG_USER": unquote(parts.username or "postgres"),
        "CRM_PG_PASSWORD": unquote(parts.password or ""),
        "CRM_PG_DBNAME": unquote((parts.path or "/postgres").lstrip("/") or "postgres"),
        "CRM_PG_SSLMODE": query.get("sslmode", ["prefer"])[0],
    }


def reset_caches() -> None:
    """Forget the cached URL and engine (tests that switch databases call this)."""
    if database_url.cache_info().currsize:
        get_engine().dispose()
    database_url.cache_clear()
    get_engine.cache_clear()
    get_settings.cache_clear()
