"""`POST /data/clean`: the hygiene rules of the pipeline applied to one contact record."""

from __future__ import annotations

from fastapi import APIRouter

from api.schemas_data import CleanRequest, CleanResponse
from crm.settings import get_settings
from ingestion.hygiene.record import clean_record

router = APIRouter(prefix="/data", tags=["data"])


@router.post("/clean", response_model=CleanResponse)
def clean(body: CleanRequest) -> CleanResponse:
    """Clean one contact and list the fixes applied and the issues found.

    Plain `def`: the rules are CPU-bound, so FastAPI runs them in its thread pool.
    """
    region = body.default_region or get_settings().default_region
    raw = body.record.model_dump(exclude_unset=True)
    result = clean_record(raw, default_region=region)
    return CleanResponse.model_validate(
        {"record": result.record, "fixes": result.fixes, "issues": result.issues}
    )
