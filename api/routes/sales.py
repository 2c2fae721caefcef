"""`POST /sales/close`: the AI closer's next move in a conversation (flow 11)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime

from fastapi import APIRouter, Request

from api.conversation_deps import ConnDep, EngineDep
from api.errors import ApiError
from api.schemas_sales import CloseRequest, CloseResponse
from crm.sales import closer
from crm.sales.offers import SalesRules
from crm.settings import get_settings

router = APIRouter(prefix="/sales", tags=["sales"])


def _config(request: Request, engine: EngineDep) -> closer.CloserConfig:
    config = getattr(request.app.state, "closer_config", None)
    if config is None:
        settings = get_settings()
        config = request.app.state.closer_config = closer.CloserConfig(
            SalesRules.load(settings.sales_offers_path),
            settings.checkout_url_template,
            engine.llm,
        )
    return config


@router.post("/close", response_model=CloseResponse)
def close(body: CloseRequest, request: Request, conn: ConnDep, engine: EngineDep) -> CloseResponse:
    """Answer the objections from the knowledge base, offer a discount within the
    segment's limit on a price objection, ask for the order with a checkout link, or hand
    a big deal to a person; the message is queued once per latest inbound message."""
    try:
        decision = closer.close(
            conn,
            closer.CloseRequest(**body.model_dump()),
            _config(request, engine),
            datetime.now(UTC),
        )
    except closer.NotFound as exc:
        field = "conversation_id" if body.conversation_id is not None else "person_id"
        raise ApiError(404, "not_found", str(exc), field) from exc
    return CloseResponse(**asdict(decision))
