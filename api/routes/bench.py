"""The benchmark's baseline endpoint, mounted only when CRM_BENCH_ENDPOINT is set.

`bench/ingest.py` compares the webhook endpoint with this one: same app, same middleware,
no work. It is off by default so production never exposes an unauthenticated sink.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

router = APIRouter(prefix="/webhooks", include_in_schema=False)


@router.post("/_bare")
async def bare(request: Request) -> JSONResponse:
    """Reads the body and answers 200 without doing anything else."""
    await request.body()
    return JSONResponse({"status": "ok"})
