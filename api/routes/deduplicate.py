"""`GET/POST /data/deduplicate`: the identity review queue and a person's decisions on it."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from api.deps import PoolDep
from api.errors import ApiError
from api.schemas_deduplicate import DecisionIn, DecisionOut, ReviewPair, ReviewQueue
from ingestion.identity.review import record_decision, review_queue, unknown_records

router = APIRouter(prefix="/data", tags=["data"])


def _pair(row: dict[str, Any]) -> ReviewPair:
    """A queue row as the response shows it: the two identities side by side."""
    sides = {
        side: {
            "record_id": row[f"record_{side}"],
            "source": row[f"source_{side}"],
            "source_id": row[f"source_id_{side}"],
            "lead_id": row[f"lead_{side}"],
        }
        for side in ("a", "b")
    }
    return ReviewPair.model_validate({**row, **sides})


@router.get("/deduplicate", response_model=ReviewQueue)
async def list_review_queue(
    pool: PoolDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> ReviewQueue:
    """Pairs identity resolution was unsure about (between its thresholds, left apart),
    most likely match first, without those a person has already decided."""
    async with pool.connection() as conn:
        rows, total = await review_queue(conn, limit, offset)
    return ReviewQueue(total=total, pairs=[_pair(row) for row in rows])


@router.post("/deduplicate", response_model=DecisionOut, status_code=201)
async def decide(body: DecisionIn, pool: PoolDep) -> DecisionOut:
    """Store a person's decision on a pair: `accept` merges the two identities' leads on
    every later run, `reject` keeps them apart on every later run, whatever the matcher
    says. 404 when either identity is unknown to identity resolution."""
    if body.record_a == body.record_b:
        raise ApiError(422, "invalid_request", "a pair needs two different identities", "record_b")
    async with pool.connection() as conn:
        missing = await unknown_records(conn, [body.record_a, body.record_b])
        if missing:
            field = "record_a" if body.record_a in missing else "record_b"
            raise ApiError(404, "not_found", f"no identity {missing[0]!r} is known", field)
        row = await record_decision(
            conn, body.record_a, body.record_b, body.decision, body.decided_by, body.note
        )
    return DecisionOut.model_validate(row)
