"""Build the FastAPI app: error handlers, routers, and a lifespan owning the database side.

The lifespan applies migrations (so the API can start on an empty database), opens one
async connection pool and the group-commit batcher that lands webhooks, and closes both
on shutdown after the queued deliveries are written. It also starts loading the intent and
sentiment champions in a background thread. If the database is unreachable at
start-up the app still starts, and /health says 503 until it comes back.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.metadata import PackageNotFoundError, version

from fastapi import FastAPI
from psycopg_pool import AsyncConnectionPool

from api.auth import internal
from api.deps import WebhookConfig
from api.errors import install_error_handlers
from api.routes import (
    alerts,
    bench,
    carts,
    cases,
    chatbot,
    comments,
    commerce,
    content,
    data,
    deduplicate,
    enrich,
    escalation,
    followups,
    leads,
    nurturing,
    payments,
    predictions,
    routing,
    sales,
    system,
    text_models,
    webhooks,
)
from api.scoring import champions
from crm.conversation.llm_classify import LLMTextModels, llm_or_local
from crm.database import database_url
from crm.migrate import upgrade
from crm.settings import get_settings
from ingestion.batcher import GroupCommitBatcher
from ml.serving import TextModels

log = logging.getLogger(__name__)


def app_version() -> str:
    """The installed package version (the project's, from pyproject.toml)."""
    try:
        return version("autonomous-crm")
    except PackageNotFoundError:
        return "0.0.0"


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Migrate, open the pool and the batcher; on shutdown drain and close them."""
    try:
        await asyncio.to_thread(upgrade)
    except Exception as exc:  # start degraded: /health reports it, webhooks answer 503
        log.error("database unreachable at start-up, migrations not applied: %s", exc)
    pool = AsyncConnectionPool(
        database_url(),
        min_size=2,
        max_size=4,
        timeout=5,
        open=False,
        kwargs={"autocommit": True},
        name="crm-api",
    )
    await pool.open(wait=False)
    app.state.text_models = models = _text_models()  # champions load in the background
    loader = threading.Thread(target=_load_frozen, args=(models,), name="load-champions")
    loader.daemon = True
    loader.start()
    batcher = GroupCommitBatcher(pool)
    batcher.start()
    app.state.pool, app.state.batcher = pool, batcher
    gc.freeze()  # start-up objects skip the cyclic GC: full collections stalled p99 by ~90 ms
    try:
        yield
    finally:
        app.state.batcher = None
        await batcher.close()
        await pool.close()


def _text_models() -> TextModels | LLMTextModels:
    """The intent and sentiment champions, behind the LLM classifier when
    `CONVERSATION_TEXT_MODELS=llm` and an LLM key is set."""
    if get_settings().conversation_text_models != "llm":
        return TextModels()
    return llm_or_local(TextModels(), get_settings())


def _load_frozen(models: TextModels | LLMTextModels) -> None:
    """Load the champions (text and scoring models), then move everything loaded (MLflow,
    scikit-learn, the models) out of the cyclic GC's reach too: left young, they tripled
    the webhooks' p99."""
    models.load_champions()
    for scoring in champions().values():
        scoring.get()
    gc.freeze()


def create_app() -> FastAPI:
    """The application (uvicorn factory `api.main:create_app`)."""
    settings = get_settings()
    app = FastAPI(
        title="Autonomous CRM",
        version=app_version(),
        description="Meta channel webhooks into raw landing tables, and the CRM's HTTP API.",
        lifespan=lifespan,
    )
    app.state.webhook_config = WebhookConfig(
        app_secret=settings.app_secret(),
        verify_token=settings.verify_token(),
        commerce_secret=settings.commerce_secret(),
        max_bytes=settings.webhook_max_bytes,
    )
    app.state.api_keys = settings.api_keys()
    install_error_handlers(app)
    app.include_router(system.router)
    app.include_router(webhooks.router, prefix="/api/v1")
    app.include_router(commerce.router, prefix="/api/v1")
    app.include_router(data.router, prefix="/api/v1", dependencies=internal)
    app.include_router(deduplicate.router, prefix="/api/v1", dependencies=internal)
    app.include_router(enrich.router, prefix="/api/v1", dependencies=internal)  # issue 3: flow 20
    app.include_router(text_models.router, prefix="/api/v1", dependencies=internal)  # issue 4
    for scores in (leads, predictions):  # issue 4: lead score and close probability
        app.include_router(scores.router, prefix="/api/v1", dependencies=internal)
    for conversation in (routing, chatbot, escalation, followups, cases):  # issue 5
        app.include_router(conversation.router, prefix="/api/v1", dependencies=internal)
    for flow in (content, alerts):  # issue 6: flows 14-16 and 22
        app.include_router(flow.router, prefix="/api/v1", dependencies=internal)
    for campaign in (nurturing, carts):  # issue 6: flows 10 and 12
        app.include_router(campaign.router, prefix="/api/v1", dependencies=internal)
    for flow in (sales, comments):  # issue 6: flows 11 and 17
        app.include_router(flow.router, prefix="/api/v1", dependencies=internal)
    app.include_router(payments.router, prefix="/api/v1", dependencies=internal)  # flow 13
    if settings.crm_bench_endpoint:
        app.include_router(bench.router, prefix="/api/v1")
    return app
