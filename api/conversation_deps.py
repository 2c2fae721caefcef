"""Dependencies of the conversation endpoints: a database connection per request and the
engine's configuration (routing rules, LLM chain), built once per app."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

import psycopg
from fastapi import Depends, Request

from crm.conversation.config import EngineConfig
from crm.database import database_url
from crm.settings import get_settings


def get_conn() -> Iterator[psycopg.Connection]:
    """A connection whose work commits when the request succeeds (plain `def` endpoints)."""
    with psycopg.connect(database_url()) as conn:
        yield conn


def get_engine_config(request: Request) -> EngineConfig:
    config = getattr(request.app.state, "engine_config", None)
    if config is None:
        config = request.app.state.engine_config = EngineConfig.from_settings(get_settings())
    return config


ConnDep = Annotated[psycopg.Connection, Depends(get_conn)]
EngineDep = Annotated[EngineConfig, Depends(get_engine_config)]
