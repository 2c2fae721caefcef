"""`GET /` (what this service is, where its docs are) and `GET /health` (database, pipeline,
models)."""

from __future__ import annotations

import asyncio

import psycopg
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from psycopg.rows import dict_row
from psycopg_pool import PoolTimeout

from api.deps import PoolDep
from api.errors import error_body
from api.schemas import HealthReport, RootInfo
from api.scoring import champions

router = APIRouter(tags=["system"])

LATEST_RUN_SQL = """
select run_id, status, started_at, finished_at from app.pipeline_runs
order by coalesce(finished_at, started_at) desc nulls last, run_id desc limit 1
"""


@router.get("/", response_model=RootInfo)
async def root(request: Request) -> RootInfo:
    """Name, version and links to the docs, the health check and the webhook endpoint."""
    return RootInfo(
        name=request.app.title,
        version=request.app.version,
        links={
            "docs": "/docs",
            "redoc": "/redoc",
            "openapi": "/openapi.json",
            "health": "/health",
            "webhooks": "/api/v1/webhooks/inbound",
        },
    )


@router.get("/health", response_model=HealthReport, responses={503: {"model": HealthReport}})
async def health(request: Request, pool: PoolDep) -> JSONResponse:
    """Whether the database answers, the latest pipeline run and the models served; 503 when
    the database does not answer."""
    served = request.app.state.text_models.versions()
    served |= {name: (held[1] if (held := c.peek()) else None) for name, c in champions().items()}
    report: dict = {
        "status": "ok",
        "version": request.app.version,
        "models": [{"name": name, "version": v} for name, v in served.items()],
    }
    try:
        async with asyncio.timeout(3), pool.connection(timeout=2) as conn:
            cursor = conn.cursor(row_factory=dict_row)
            await cursor.execute(LATEST_RUN_SQL)
            run = await cursor.fetchone()
    except (psycopg.Error, PoolTimeout, TimeoutError) as exc:
        message = f"the database cannot be reached: {type(exc).__name__}"
        report |= {
            "status": "unavailable",
            "database": {"reachable": False, "error": message},
            **error_body("database_unavailable", message),
        }
        return JSONResponse(report, status_code=503)
    report |= {"database": {"reachable": True}, "latest_pipeline_run": run}
    return JSONResponse(HealthReport.model_validate(report).model_dump(mode="json"))
