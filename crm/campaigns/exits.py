"""Why a lead leaves a sequence before its end: it replied, it bought, or it opted out.

Checked on the raw data at the moment a step is due, not on the marts (which can be an
hour old): a customer who wrote or ordered a minute ago must not get the next reminder.
A reply is any inbound message after enrolment (landed in `raw.channel_events`, or already
handled into `app.conversations`); a purchase is an order webhook in `raw.commerce_events`
for the cart's checkout token or the buyer's Shopify id, e-mail or phone (or, once dbt has
resolved identities, an order of the lead in `marts.fct_orders`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import psycopg

from crm.campaigns.audience import relation_exists

REPLIED_SQL = """
select exists (
    select 1 from app.conversations c
    where c.lead_id = %(lead_id)s and c.last_inbound_at > %(since)s
) or exists (
    select 1 from raw.channel_events r
    where r.event_type = 'message' and r.direction = 'inbound' and r.occurred_at > %(since)s
      and ((r.channel, r.person_id) in (
              select channel, person_id from app.conversations where lead_id = %(lead_id)s)
           or (r.channel = 'whatsapp' and r.person_id = %(wa_id)s))
)
"""
ORDERED_RAW_SQL = """
select exists (
    select 1 from raw.commerce_events
    where source = 'shopify' and topic in ('orders/create', 'orders/paid')
      and coalesce(cast(body ->> 'created_at' as timestamptz), occurred_at) >= %(since)s
      and (body ->> 'checkout_token' = %(cart_id)s
           or body -> 'customer' ->> 'id' = %(customer_id)s
           or lower(body ->> 'email') = %(email)s
           or regexp_replace(body ->> 'phone', '[^0-9]', '', 'g') = %(wa_id)s)
)
"""
ORDERED_MART_SQL = """
select exists (
    select 1 from marts.fct_orders
    where lead_id = %(lead_id)s and created_at >= %(since)s and status <> 'cancelled'
)
"""
OPTED_OUT_SQL = "select exists (select 1 from app.opt_outs where lead_id = %s)"


def _digits(phone: str | None) -> str | None:
    return "".join(ch for ch in phone if ch.isdigit()) or None if phone else None


def purchased(
    conn: psycopg.Connection, lead_id: str, context: dict[str, Any], since: datetime
) -> bool:
    """An order by this buyer (or from this cart) created at or after `since`."""
    keys = {
        "lead_id": lead_id,
        "since": since,
        "cart_id": context.get("cart_id"),
        "customer_id": context.get("customer_id"),
        "email": (context.get("email") or "").lower() or None,
        "wa_id": _digits(context.get("phone")),
    }
    if conn.execute(ORDERED_RAW_SQL, keys).fetchone()[0]:
        return True
    return (
        relation_exists(conn, "marts.fct_orders")
        and conn.execute(ORDERED_MART_SQL, keys).fetchone()[0]
    )


def exit_reason(
    conn: psycopg.Connection,
    lead_id: str,
    context: dict[str, Any],
    enrolled_at: datetime,
    watch: tuple[str, ...],
) -> str | None:
    """The first of `watch` (replied, purchased, opted_out) that happened, or None."""
    for reason in watch:
        if reason == "opted_out" and conn.execute(OPTED_OUT_SQL, (lead_id,)).fetchone()[0]:
            return reason
        if reason == "replied":
            keys = {
                "lead_id": lead_id,
                "since": enrolled_at,
                "wa_id": _digits(context.get("phone")),
            }
            if conn.execute(REPLIED_SQL, keys).fetchone()[0]:
                return reason
        if reason == "purchased":
            since = datetime.fromisoformat(context["watch_orders_from"])
            if purchased(conn, lead_id, context, since):
                return reason
    return None
