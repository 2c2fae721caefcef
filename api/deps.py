"""Dependencies the routers inject: the lifespan's pool and batcher, the webhook config.

All are `async def` so FastAPI calls them inline instead of in its thread pool (cheap on
the webhook path, which is the hot one).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from psycopg_pool import AsyncConnectionPool

from api.errors import ApiError
from crm.conversation.llm_classify import LLMTextModels
from ingestion.batcher import GroupCommitBatcher
from ml.serving import TextModels


@dataclass(frozen=True)
class WebhookConfig:
    """What the webhook endpoints need from the settings, read once at start-up."""

    app_secret: str
    verify_token: str
    commerce_secret: str
    max_bytes: int


async def get_pool(request: Request) -> AsyncConnectionPool:
    return request.app.state.pool


async def get_batcher(request: Request) -> GroupCommitBatcher:
    batcher = getattr(request.app.state, "batcher", None)
    if batcher is None:
        raise ApiError(503, "not_ready", "the service is starting or stopping")
    return batcher


def webhook_config(request: Request) -> WebhookConfig:
    """The settings the webhook endpoints need (also called directly on the hot path)."""
    return request.app.state.webhook_config


async def get_webhook_config(request: Request) -> WebhookConfig:
    return webhook_config(request)


async def get_text_models(request: Request) -> TextModels | LLMTextModels:
    """The intent and sentiment models the lifespan started loading (behind the LLM
    classifier when configured)."""
    return request.app.state.text_models


PoolDep = Annotated[AsyncConnectionPool, Depends(get_pool)]
WebhookConfigDep = Annotated[WebhookConfig, Depends(get_webhook_config)]
TextModelsDep = Annotated[TextModels | LLMTextModels, Depends(get_text_models)]
