"""`POST /leads/classify`: a message and its sender → lead score, tier, intent and reasons."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter

from api.deps import PoolDep, TextModelsDep
from api.schemas_scores import ClassifyIn, ClassifyOut, Reason
from api.scoring import champions, current_features, match_lead, with_message
from crm.settings import get_settings
from ml.lead_score.features import MODEL_NAME
from ml.lead_score.score import score_leads

router = APIRouter(prefix="/leads", tags=["lead score"])


@router.post("/classify", response_model=ClassifyOut)
async def classify(body: ClassifyIn, pool: PoolDep, models: TextModelsDep) -> ClassifyOut:
    """Score the sender as of this message (champion `crm-lead-score`, else the prior).

    The sender is matched to a lead in the marts by phone or e-mail (or gets a new key,
    `created: true`); the message's intent (champion `crm-intent`) counts as one more
    inbound message on top of what the marts know about the lead.
    """
    lead = await match_lead(pool, body.sender_metadata)
    intent, confidence = await asyncio.to_thread(models.intent, body.message)  # CPU work
    row = None if lead.created else await current_features(pool, lead.lead_id)
    frame = with_message(row, lead.lead_id, intent)
    scored = score_leads(frame, champions()[MODEL_NAME].get(), get_settings()).iloc[0]
    return ClassifyOut(
        score=int(scored["score"]),
        tier=str(scored["tier"]),
        probability=float(scored["probability"]),
        score_source=str(scored["score_source"]),
        model_version=scored["model_version"],
        intent=intent,
        intent_confidence=confidence,
        reasons=[Reason(**reason) for reason in scored["reasons"]],
        lead=lead,
    )
