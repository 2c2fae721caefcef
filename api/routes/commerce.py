"""Commerce webhooks (Shopify format): signed order, checkout and refund events into `raw`.

Outcomes are what the scoring models learn from, so they land under the same rules as
Meta deliveries: size and content type first, then the HMAC over the raw bytes, then
the headers and body; nothing is stored for a refused request, and 200 comes only after
the row is committed. Idempotent by X-Shopify-Webhook-Id, which Shopify repeats on retry.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, Request

from api.body import read_json_body
from api.deps import PoolDep, WebhookConfigDep
from api.errors import ApiError
from api.schemas import CommerceAccepted, ErrorResponse
from ingestion.commerce import (
    CommercePayloadError,
    MalformedCommerceJsonError,
    land_event,
    prepare_event,
    verify_hmac,
)
from ingestion.commerce.shopify import HMAC_HEADER, SHOP_HEADER, TOPIC_HEADER, WEBHOOK_ID_HEADER

log = logging.getLogger(__name__)
router = APIRouter(prefix="/webhooks", tags=["webhooks"])
ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse} for status in (400, 401, 413, 415, 503)
}


@router.post("/commerce", response_model=CommerceAccepted, responses=ERRORS)
async def receive_commerce(
    request: Request, config: WebhookConfigDep, pool: PoolDep
) -> CommerceAccepted:
    """Land one signed Shopify-format delivery in raw.commerce_events; 200 once committed."""
    raw = await read_json_body(request, config.max_bytes)
    headers = request.headers
    if not verify_hmac(raw, headers.get(HMAC_HEADER), config.commerce_secret):
        raise ApiError(
            401, "bad_signature", f"missing or invalid {HMAC_HEADER} header", HMAC_HEADER
        )
    try:
        event = prepare_event(
            raw, headers.get(TOPIC_HEADER), headers.get(WEBHOOK_ID_HEADER), headers.get(SHOP_HEADER)
        )
    except MalformedCommerceJsonError as exc:
        raise ApiError(400, "malformed_json", exc.message, "body") from None
    except CommercePayloadError as exc:
        raise ApiError(400, "invalid_payload", exc.message, exc.field or "body") from None
    try:
        new = await land_event(pool, event)
    except Exception as exc:
        log.warning("commerce delivery %s not stored: %s", event.webhook_id, exc)
        raise ApiError(
            503,
            "storage_unavailable",
            "the delivery could not be stored; it was not accepted, retry",
        ) from None
    return CommerceAccepted(duplicate=not new)
