"""`POST /payments/remind`: queue the payment reminder steps now due (flow 13)."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Body

from api.conversation_deps import ConnDep
from api.errors import ApiError
from api.schemas_payments import InvoiceAction, RemindRequest, RemindResponse
from crm.campaigns.reminder_steps import StepsError
from crm.campaigns.reminders import ReminderConfig, local_today, remind_payments
from crm.settings import get_settings

router = APIRouter(prefix="/payments", tags=["campaigns"])


@router.post("/remind", response_model=RemindResponse)
def remind(
    conn: ConnDep, request: Annotated[RemindRequest | None, Body()] = None
) -> RemindResponse:
    """Before, on and after each invoice's due date, the step reached (friendly, firm,
    final notice) goes to the customer once; paid invoices (re-checked in raw.invoices),
    opted-out people and unreachable ones are skipped, each with its reason. Safe to call
    repeatedly: a step already sent is never sent again."""
    request = request or RemindRequest()
    settings = get_settings()
    try:
        config = ReminderConfig.from_settings(settings)
    except StepsError as exc:  # a deployment mistake: say exactly where
        raise ApiError(500, "invalid_reminder_steps", str(exc), "payment_reminder_steps") from exc
    now = datetime.now(UTC)
    actions = remind_payments(conn, config, now, request.as_of, request.invoice_numbers)
    reasons = Counter(action.reason for action in actions)
    sent = sum(1 for action in actions if action.action == "sent")
    return RemindResponse(
        as_of=request.as_of or local_today(now, config.timezone),
        sent=sent,
        skipped=len(actions) - sent,
        by_reason=dict(reasons),
        actions=[InvoiceAction(**asdict(action)) for action in actions],
    )
