"""Cart recovery (flow 12): abandoned checkouts get reminders with a growing incentive,
stopped the moment an order arrives.

Carts come from `marts.fct_carts` (status `abandoned`: no order within the abandonment
window), limited to those abandoned within the sequence's `max_age_hours`, so a first run
on a year of history does not write to every old cart. What a message shows (the items,
the total, Shopify's `abandoned_checkout_url`, the buyer's name and locale) is read from
the checkout's latest webhook in `raw.commerce_events`, and so is the order check: a cart
whose order landed after the mart was built is neither enrolled nor reminded.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import psycopg
from psycopg import sql
from psycopg.rows import dict_row

from crm.campaigns.audience import (
    first_name,
    leads_sql,
    relation_exists,
    rule_parameters,
    rules_sql,
)
from crm.campaigns.exits import purchased
from crm.campaigns.sequence_config import Sequence
from crm.campaigns.sequences import Candidate, Report, run

ABANDONED_SQL = """
select carts.cart_id, carts.lead_id, carts.created_at, carts.last_activity_at,
       carts.total_price, carts.currency, carts.abandoned_checkout_url, carts.email,
       lead.display_name, lead.phone_e164, lead.language,
       (select body from raw.commerce_events
        where source = 'shopify' and topic in ('checkouts/create', 'checkouts/update')
          and resource_id = carts.cart_id
        order by occurred_at desc nulls last, id desc limit 1) as checkout
from marts.fct_carts carts
left join ({leads}) as lead on lead.lead_id = carts.lead_id
where carts.status = 'abandoned' and carts.lead_id is not null
  and carts.abandoned_checkout_url is not null and {rules}
  and carts.last_activity_at >= %(oldest)s
  and not exists (
      select 1 from app.campaign_enrollments e
      where e.sequence = %(sequence)s and e.lead_id = carts.lead_id
        and e.subject = carts.cart_id
  )
order by carts.lead_id, carts.cart_id
"""


def _items(checkout: dict[str, Any]) -> str:
    """'Laptop Pro 14, 2 x USB-C Hub': what is in the cart, for the message."""
    names = []
    for item in checkout.get("line_items") or []:
        quantity, title = item.get("quantity") or 1, item.get("title") or item.get("name")
        names.append(f"{quantity} x {title}" if quantity > 1 else str(title))
    return ", ".join(names)


def _context(cart: dict[str, Any]) -> dict[str, Any]:
    checkout = cart["checkout"] or {}
    customer = checkout.get("customer") or {}
    locale = (checkout.get("customer_locale") or "")[:2].lower()
    return {
        "cart_id": cart["cart_id"],
        "checkout_url": cart["abandoned_checkout_url"],
        "items": _items(checkout),
        "total": f"{cart['total_price']:.2f}" if cart["total_price"] is not None else "",
        "currency": cart["currency"] or "",
        "first_name": customer.get("first_name") or first_name(cart["display_name"]),
        "display_name": cart["display_name"],
        "language": cart["language"] or (locale if locale in ("es", "en") else None),
        "email": cart["email"] or customer.get("email"),
        "phone": cart["phone_e164"] or checkout.get("phone") or customer.get("phone"),
        "customer_id": str(customer["id"]) if customer.get("id") else None,
        "watch_orders_from": cart["created_at"].isoformat(),
    }


def candidates(conn: psycopg.Connection, sequence: Sequence, now: datetime) -> list[Candidate]:
    """Abandoned, recent, never-enrolled carts of leads the rules select, with no order yet."""
    if not relation_exists(conn, "marts.fct_carts"):
        return []
    query = sql.SQL(ABANDONED_SQL).format(leads=leads_sql(conn), rules=rules_sql("carts.lead_id"))
    oldest = now - timedelta(hours=sequence.enrol.max_age_hours)
    keys = rule_parameters(sequence.enrol) | {"sequence": sequence.name, "oldest": oldest}
    found = []
    for cart in conn.cursor(row_factory=dict_row).execute(query, keys).fetchall():
        context = _context(cart)
        if not purchased(conn, cart["lead_id"], context, cart["created_at"]):
            found.append(
                Candidate(cart["lead_id"], cart["cart_id"], cart["last_activity_at"], context)
            )
    return found


def recover_carts(
    conn: psycopg.Connection, sequences: list[Sequence], now: datetime, dry_run: bool = False
) -> Report:
    """Enrol, remind and stop every cart-recovery sequence once."""
    chosen = [s for s in sequences if s.flow == "cart_recovery"]
    return run(conn, chosen, candidates, now, dry_run)
