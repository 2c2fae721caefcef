"""`POST /nurturing/process`: enrol leads in the nurturing sequences and send what is due."""

from __future__ import annotations

from fastapi import APIRouter

from api.campaign_runs import run_flow
from api.conversation_deps import ConnDep
from api.schemas_campaigns import CampaignRunRequest, CampaignRunResponse
from crm.campaigns.nurturing import process_nurturing

router = APIRouter(prefix="/nurturing", tags=["campaigns"])


@router.post("/process", response_model=CampaignRunResponse)
def process(request: CampaignRunRequest, conn: ConnDep) -> CampaignRunResponse:
    """Enrol the leads each sequence's rules select (a share held out, never messaged),
    send the steps now due, and end enrolments whose lead replied, bought or opted out.
    Safe to call repeatedly: each step of each lead is queued once."""
    return run_flow(conn, "nurturing", process_nurturing, request)
