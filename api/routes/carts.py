"""`POST /carts/recover`: remind abandoned checkouts, stopping when an order arrives."""

from __future__ import annotations

from fastapi import APIRouter

from api.campaign_runs import run_flow
from api.conversation_deps import ConnDep
from api.schemas_campaigns import CampaignRunRequest, CampaignRunResponse
from crm.campaigns.carts import recover_carts

router = APIRouter(prefix="/carts", tags=["campaigns"])


@router.post("/recover", response_model=CampaignRunResponse)
def recover(request: CampaignRunRequest, conn: ConnDep) -> CampaignRunResponse:
    """Enrol recently abandoned carts (a share held out), send the reminders now due with
    the checkout link, items, total and the step's incentive, and stop at the cart's order.
    Safe to call repeatedly: each reminder of each cart is queued once."""
    return run_flow(conn, "cart_recovery", recover_carts, request)
