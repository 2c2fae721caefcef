"""`POST /cases/evaluate-closure`: close resolved cases (thanks, goodbye, confirmation, or
silence after our answer)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi import APIRouter

from api.conversation_deps import ConnDep
from api.schemas_conversation import ClosureItem, ClosureRequest, ClosureResponse
from crm.conversation import closure
from crm.settings import get_settings

router = APIRouter(prefix="/cases", tags=["conversation"])


@router.post("/evaluate-closure", response_model=ClosureResponse)
def evaluate_closure(body: ClosureRequest, conn: ConnDep) -> ClosureResponse:
    """With a message: whether it closes the case (and close it for the conversation given).
    Without: close every case inactive for `case_inactivity_hours` after our answer."""
    if body.message is not None:
        signal = closure.closing_signal(body.message)
        changes = []
        if signal and body.conversation_id is not None:
            change = closure.close_case(conn, body.conversation_id, signal)
            changes = [change] if change else []
        return ClosureResponse(closing_signal=signal, cases=[_item(c) for c in changes])
    inactivity = timedelta(hours=get_settings().case_inactivity_hours)
    changes = closure.close_inactive(conn, inactivity, datetime.now(UTC), body.conversation_id)
    return ClosureResponse(cases=[_item(c) for c in changes])


def _item(change: closure.CaseChange) -> ClosureItem:
    return ClosureItem(case_id=change.case_id, action=change.action, reason=change.reason)
