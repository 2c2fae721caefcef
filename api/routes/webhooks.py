"""Meta webhooks: the verification handshake and signed deliveries landed in `raw`.

Checks run cheapest first and before anything is stored: size (Content-Length, then the
bytes actually read), content type, signature over the raw bytes, then JSON and shape.
A delivery is answered 200 only after the group-commit batcher has committed it.
"""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, PlainTextResponse

from api.body import read_json_body
from api.deps import WebhookConfigDep, get_batcher, webhook_config
from api.errors import ApiError
from api.schemas import ErrorResponse, WebhookAccepted
from ingestion.landing import prepare_delivery
from ingestion.meta import MetaPayloadError, verify_signature
from ingestion.meta.events import MalformedJsonError

router = APIRouter(prefix="/webhooks", tags=["webhooks"])
SIGNATURE_HEADER = "X-Hub-Signature-256"
ERRORS = {status: {"model": ErrorResponse} for status in (400, 401, 403, 413, 415, 503)}


@router.get("/inbound", response_class=PlainTextResponse, responses=ERRORS)
@router.get("/inbound/verify", response_class=PlainTextResponse, responses=ERRORS)
async def verify(
    config: WebhookConfigDep,
    mode: Annotated[str | None, Query(alias="hub.mode")] = None,
    token: Annotated[str | None, Query(alias="hub.verify_token")] = None,
    challenge: Annotated[str | None, Query(alias="hub.challenge")] = None,
) -> PlainTextResponse:
    """Meta's subscription handshake: echo `hub.challenge` when the verify token matches."""
    if mode != "subscribe":
        raise ApiError(403, "bad_mode", "hub.mode must be subscribe", "hub.mode")
    if token is None or not hmac.compare_digest(token.encode(), config.verify_token.encode()):
        raise ApiError(
            403, "bad_verify_token", "hub.verify_token does not match", "hub.verify_token"
        )
    return PlainTextResponse(challenge or "")


@router.post("/inbound", response_model=WebhookAccepted, responses=ERRORS)
async def receive(request: Request) -> JSONResponse:
    """Land a signed delivery (WhatsApp, Instagram or Messenger); 200 once committed."""
    # The hot path: its collaborators are read straight off app.state, not injected,
    # because FastAPI's dependency solving cost ~6 % of this endpoint's CPU under load.
    config, batcher = webhook_config(request), await get_batcher(request)
    raw = await read_json_body(request, config.max_bytes)
    if not verify_signature(raw, request.headers.get(SIGNATURE_HEADER), config.app_secret):
        raise ApiError(
            401, "bad_signature", f"missing or invalid {SIGNATURE_HEADER} header", SIGNATURE_HEADER
        )
    try:
        delivery = prepare_delivery(raw)
    except MalformedJsonError as exc:
        raise ApiError(400, "malformed_json", exc.message, "body") from None
    except MetaPayloadError as exc:
        raise ApiError(400, "invalid_payload", exc.message, exc.field or "body") from None
    try:
        new_events = await batcher.submit(delivery)
    except Exception:
        raise ApiError(
            503,
            "storage_unavailable",
            "the delivery could not be stored; it was not accepted, retry",
        ) from None
    return JSONResponse({"status": "ok", "events": len(delivery.events), "new_events": new_events})
