"""Payment reminders (flow 13): before, on and after an invoice's due date, never twice.

Every run looks at the invoices due around today (in `BUSINESS_TIMEZONE`), finds the
latest reminder step each has reached (`reminder_steps`), and queues it through
`campaigns.reach`, which writes on the lead's latest channel, uses the step's approved
template outside the 24 h window and refuses opted-out people. The payment state is read
from `raw.invoices` at send time, not from the mart, so an invoice paid since the last
pipeline run gets nothing; the mart only contributes the lead that identity resolution
found. `app.payment_reminders` (one row per invoice and step) and the outbox key
`remind:<invoice>:<step>` make a step go out once, however often the flow runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import psycopg
from psycopg.rows import dict_row

from crm.campaigns.reach import Message, Sent, find_contact, send
from crm.campaigns.reminder_steps import Step, current_step, money, parse_steps, reminder_text
from crm.settings import Settings

LOOKBACK_DAYS = 60  # unpaid longer than this past due: collections, not reminders
LOOKAHEAD_DAYS = 30  # listed as "not due yet" up to this far ahead
INVOICES_SQL = """
with latest as (
    select distinct on (invoice_number) invoice_number, amount, currency, due_on, paid_at,
           phone_e164
    from raw.invoices
    where (%(numbers)s::text[] is null or invoice_number = any(%(numbers)s))
    order by invoice_number, loaded_at desc, id desc
)
select latest.*, {lead} as lead_id from latest {join}
where %(numbers)s::text[] is not null or latest.due_on between %(first)s and %(last)s
order by latest.due_on, latest.invoice_number
"""
PAID_NOW_SQL = """
select paid_at from raw.invoices where invoice_number = %s
order by loaded_at desc, id desc limit 1
"""
LOGGED_SQL = "select 1 from app.payment_reminders where invoice_number = %s and step = %s"
LOG_SQL = """
insert into app.payment_reminders
    (invoice_number, step, tone, lead_id, outbox_id, channel, kind, days_from_due)
values (%s, %s, %s, %s, %s, %s, %s, %s)
on conflict (invoice_number, step) do nothing
"""


@dataclass(frozen=True)
class ReminderConfig:
    """What a run needs from the configuration."""

    steps: tuple[Step, ...]
    timezone: str = "America/Panama"
    whatsapp_number_id: str | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> ReminderConfig:
        """The ladder (`PAYMENT_REMINDER_STEPS`), the business's time zone and number."""
        return cls(
            parse_steps(settings.payment_reminder_steps),
            settings.business_timezone,
            settings.whatsapp_phone_number_id,
        )


@dataclass(frozen=True)
class Action:
    """What became of one invoice: `sent` or `skipped`, and why (`reason`: sent, paid,
    opted_out, no_contact, outside_window, not_due_yet, already_sent, not_found)."""

    invoice_number: str
    action: str
    reason: str
    lead_id: str | None = None
    step: str | None = None
    tone: str | None = None
    days_from_due: int | None = None
    channel: str | None = None
    kind: str | None = None
    outbox_id: int | None = None
    detail: str = ""


def local_today(now: datetime, timezone: str) -> date:
    """Today's date where the business is (a reminder's day is the customer's day)."""
    return now.astimezone(ZoneInfo(timezone)).date()


def _invoices(conn: psycopg.Connection, today: date, numbers: list[str] | None) -> list[dict]:
    """Latest version of each invoice in range (or of each listed one), with its lead."""
    if conn.execute("select to_regclass('marts.fct_invoices')").fetchone()[0]:
        join = "left join marts.fct_invoices f using (invoice_number)"
        sql = INVOICES_SQL.format(lead="f.lead_id", join=join)
    else:  # before the first pipeline run: no leads yet, the invoices' phones only
        sql = INVOICES_SQL.format(lead="null::text", join="")
    params = {
        "numbers": numbers,
        "first": today - timedelta(days=LOOKBACK_DAYS),
        "last": today + timedelta(days=LOOKAHEAD_DAYS),
    }
    return conn.cursor(row_factory=dict_row).execute(sql, params).fetchall()


def remind_payments(
    conn: psycopg.Connection,
    config: ReminderConfig,
    now: datetime,
    as_of: date | None = None,
    invoice_numbers: list[str] | None = None,
) -> list[Action]:
    """Queue every reminder step now due; one action per invoice considered.

    `as_of` moves the calendar (which step is due), never the clock: the 24 h window is
    always judged at `now`, so a free-form text is never sent outside it."""
    today = as_of or local_today(now, config.timezone)
    invoices = _invoices(conn, today, invoice_numbers)
    actions = [_remind(conn, invoice, config, today, now) for invoice in invoices]
    found = {invoice["invoice_number"] for invoice in invoices}
    missing = [n for n in dict.fromkeys(invoice_numbers or ()) if n not in found]
    return actions + [Action(n, "skipped", "not_found", detail="no such invoice") for n in missing]


def _remind(
    conn: psycopg.Connection, invoice: dict, config: ReminderConfig, today: date, now: datetime
) -> Action:
    """One invoice: its due step, sent once, unless it is paid or nobody can be reached."""
    number, lead_id = invoice["invoice_number"], invoice["lead_id"]
    days = (today - invoice["due_on"]).days
    skipped = {"invoice_number": number, "action": "skipped", "lead_id": lead_id}
    paid = conn.execute(PAID_NOW_SQL, (number,)).fetchone()  # raw, at send time
    if paid and paid[0] is not None:
        return Action(**skipped, reason="paid", days_from_due=days, detail=f"paid {paid[0]:%F}")
    step = current_step(config.steps, days)
    if step is None:
        first = config.steps[0].days
        detail = f"first step at {first:+d} day(s) from the due date {invoice['due_on']}"
        return Action(**skipped, reason="not_due_yet", days_from_due=days, detail=detail)
    on_step = skipped | {"step": step.name, "tone": step.tone, "days_from_due": days}
    if conn.execute(LOGGED_SQL, (number, step.name)).fetchone():
        return Action(**on_step, reason="already_sent", detail=f"{step.name} went out before")
    contact = find_contact(
        conn, lead_id, invoice["phone_e164"], whatsapp_number_id=config.whatsapp_number_id, now=now
    )
    if contact is None:
        return Action(**on_step, reason="no_contact", detail="no conversation and no phone")
    sent = send(
        conn,
        contact,
        _message(step, contact.language, invoice, days),
        "payment_reminder",
        f"remind:{number}:{step.name}",
        now,
    )
    on_channel = on_step | {"channel": contact.channel, "lead_id": contact.lead_id or lead_id}
    return _record(conn, invoice, step, days, sent, on_channel)


def _message(step: Step, language: str, invoice: dict, days: int) -> Message:
    """The step's text (inside the window) and template with its body parameters."""
    amount = money(Decimal(invoice["amount"]), invoice["currency"])
    due = invoice["due_on"].isoformat()
    text = reminder_text(step, language, invoice["invoice_number"], amount, due, days)
    return Message(text, step.template, (invoice["invoice_number"], amount, due))


def _record(
    conn: psycopg.Connection, invoice: dict, step: Step, days: int, sent: Sent, on: dict
) -> Action:
    """Log a queued step (once) and say what happened."""
    if sent.outbox_id is None and sent.reason != "already queued":
        reason = "opted_out" if sent.reason == "opted out" else "outside_window"
        return Action(**on, reason=reason, detail=sent.reason)
    row = (invoice["invoice_number"], step.name, step.tone, on["lead_id"], sent.outbox_id)
    conn.execute(LOG_SQL, (*row, on["channel"], sent.kind, days))
    if sent.outbox_id is None:
        return Action(**on, kind=sent.kind, reason="already_sent", detail=sent.reason)
    return Action(
        **{**on, "action": "sent"},
        reason="sent",
        kind=sent.kind,
        outbox_id=sent.outbox_id,
        detail=f"{step.tone} {step.name} as {sent.kind}",
    )
