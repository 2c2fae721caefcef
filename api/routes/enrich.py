"""`POST /data/enrich`: what we know about one lead (from the marts) or one record, offline.

A lead's enrichment comes from `marts.dim_lead_enrichment` as the last pipeline run left
it, with its contact hours recomputed for now; a record given in the body runs the same
hygiene and enrichment code as the pipeline. Configured optional providers (none by
default) add their answers beside ours.
"""

from __future__ import annotations

import asyncio
from dataclasses import asdict
from typing import Any

import psycopg
from fastapi import APIRouter
from psycopg.rows import dict_row

from api.deps import PoolDep
from api.errors import ApiError
from api.schemas_enrich import EnrichmentOut, EnrichRecord, EnrichRequest, EnrichResponse
from crm.settings import get_settings
from ingestion.enrichment.hours import contact_hours
from ingestion.enrichment.profile import enrich as enrich_profile
from ingestion.enrichment.providers import configured_providers, run_providers
from ingestion.hygiene.countries import country_code
from ingestion.hygiene.emails import clean_email
from ingestion.hygiene.phones import clean_phone

router = APIRouter(prefix="/data", tags=["data"])

LEAD_SQL = "select * from marts.dim_lead_enrichment where lead_id = %s"


@router.post("/enrich", response_model=EnrichResponse)
async def enrich(body: EnrichRequest, pool: PoolDep) -> EnrichResponse:
    """Country, region, time zone and contact hours, line type, language, company, touches.

    Give `lead_id` (404 when the marts have no such lead) or `record` (raw phone, e-mail,
    country, company and the person's messages), not both.
    """
    region = body.default_region or get_settings().default_region
    if body.lead_id is not None and body.record is None:
        found = await _lead(pool, body.lead_id)
    elif body.record is not None and body.lead_id is None:
        found = await asyncio.to_thread(_record, body.record, region)
    else:
        raise ApiError(422, "invalid_request", "give exactly one of lead_id or record", "lead_id")
    providers = configured_providers()
    answers = await asyncio.to_thread(run_providers, providers, found) if providers else {}
    return EnrichResponse(
        lead_id=body.lead_id, enrichment=EnrichmentOut.model_validate(found), providers=answers
    )


async def _lead(pool: PoolDep, lead_id: str) -> dict[str, Any]:
    """The lead's row of the enrichment mart, with contact hours as of now."""
    try:
        async with pool.connection() as conn, conn.cursor(row_factory=dict_row) as cursor:
            row = await (await cursor.execute(LEAD_SQL, (lead_id,))).fetchone()
    except psycopg.errors.UndefinedTable:
        row = None  # the pipeline has not built the marts yet: no lead is known
    if row is None:
        raise ApiError(404, "not_found", "no lead with this lead_id in the marts", "lead_id")
    hours = contact_hours(row["time_zone"])
    return {**row, "contact_hours": asdict(hours) if hours else None}


def _record(record: EnrichRecord, default_region: str) -> dict[str, Any]:
    """Clean the record's phone and e-mail, then enrich it as the pipeline would."""
    country = country_code(record.country)
    phone = clean_phone(record.phone, country or default_region)
    email = clean_email(record.email)
    result = enrich_profile(
        phone_e164=phone.e164 if phone.valid else None,
        email=email.email if email.valid else None,
        country_code=country,
        company=record.company,
        texts=record.messages,
        default_region=default_region,
    )
    found = asdict(result)
    return {**found, "contact_hours": found.pop("hours")}
