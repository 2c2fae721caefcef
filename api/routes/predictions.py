"""`POST /predictions/close-probability`: how likely an open conversation ends in an order."""

from __future__ import annotations

import pandas as pd
from fastapi import APIRouter

from api.deps import PoolDep
from api.errors import ApiError
from api.schemas_scores import CloseProbabilityIn, CloseProbabilityOut, Reason
from api.scoring import champions, fetch_rows
from ml.close_probability.features import CURRENT_TABLE, MODEL_NAME, SPEC
from ml.close_probability.score import score_conversations

router = APIRouter(prefix="/predictions", tags=["close probability"])


@router.post("/close-probability", response_model=CloseProbabilityOut)
async def close_probability(body: CloseProbabilityIn, pool: PoolDep) -> CloseProbabilityOut:
    """Calibrated P(order within the close horizon) with the features that drove it.

    Give `conversation_id` (an open conversation), `lead_id` (its most likely open
    conversation) or `features` (a deal described by hand; unknown names are refused).
    """
    rows = await _deal_rows(pool, body)
    champion = champions()[MODEL_NAME].get()
    if champion is None:
        raise ApiError(503, "no_model", f"{MODEL_NAME} has no champion yet: run the pipeline")
    scored = score_conversations(rows, champion)
    best = scored["close_probability"].idxmax()
    return CloseProbabilityOut(
        close_probability=float(scored.at[best, "close_probability"]),
        conversation_id=scored.at[best, "conversation_id"],
        lead_id=scored.at[best, "lead_id"],
        model_version=champion[1],
        reasons=[Reason(**reason) for reason in scored.at[best, "reasons"]],
        features=SPEC.frame(rows.loc[[best]]).iloc[0].to_dict(),
    )


async def _deal_rows(pool: PoolDep, body: CloseProbabilityIn) -> pd.DataFrame:
    """The open conversation(s) asked about, from dbt's current deal features or the body."""
    if body.features is not None:
        unknown = sorted(set(body.features) - set(SPEC.columns))
        if unknown:
            raise ApiError(422, "unknown_feature", f"unknown feature {unknown[0]}", "features")
        return pd.DataFrame([{"conversation_id": None, "lead_id": body.lead_id, **body.features}])
    for field in ("conversation_id", "lead_id"):
        value = getattr(body, field)
        if value is None:
            continue
        found = await fetch_rows(pool, CURRENT_TABLE, field, value)
        if not found:
            raise ApiError(404, "not_found", f"no open conversation for this {field}", field)
        return pd.DataFrame(found)
    raise ApiError(422, "invalid_request", "give conversation_id, lead_id or features", "body")
