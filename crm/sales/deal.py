"""What is being sold and for how much: the product talked about, the deal's value, and
the checkout link that asks for the order.

A deal's value decides whether a person takes over, so when the caller does not give it
it is estimated only from facts: a quantity the customer wrote ("20 unidades") times the
price in the knowledge-base row of the product found for the conversation.
"""

from __future__ import annotations

import re
from string import Formatter
from urllib.parse import quote

import psycopg

from crm.conversation import knowledge

QUANTITY = re.compile(r"\b(\d{1,6})\s*(?:unidades|units|piezas|pieces|pcs|uds)\b")
PRICE_FIELD = re.compile(r"\b(?:price|precio)[\w ]*:\s*(\d+(?:\.\d+)?)")


def checkout_url(template: str, lead_id: str, product: str | None) -> str:
    """The configured checkout link; only {lead_id} and {product} are filled in."""
    values = {"lead_id": quote(lead_id), "product": quote(product or "", safe="")}
    names = {name for _, name, _, _ in Formatter().parse(template) if name}
    return template.format(**{name: values.get(name, "") for name in names})


def estimate_deal(
    conn: psycopg.Connection,
    texts: list[str],
    language: str,
    product: str | None = None,
    value: float | None = None,
) -> tuple[str | None, float | None]:
    """The product talked about and the deal's value: as given, else the quantity asked
    times the price of the product the knowledge base finds for the conversation."""
    found = knowledge.search(conn, " ".join(texts), language, limit=3)
    priced = [(p, PRICE_FIELD.search(p.body.lower())) for p in found]
    priced = [(p, float(m.group(1))) for p, m in priced if m]
    product = product or (priced[0][0].title if priced else None)
    if value is not None:
        return product, value
    quantities = [int(m.group(1)) for t in texts for m in QUANTITY.finditer(t.lower())]
    if not priced or not quantities:
        return product, None
    price = next((v for p, v in priced if p.title == product), priced[0][1])
    return product, round(max(quantities) * price, 2)
