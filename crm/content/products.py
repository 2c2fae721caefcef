"""The products a post can be about: the knowledge base's product rows, best sellers first.

A product is a CSV row of the knowledge base (`app.knowledge_passages`) that has a price
column: its first column is the name; price, category, warranty and availability are read
by their English or Spanish header. Best sellers come from paid orders in
`marts.fct_orders`, their Shopify line items matched to product names by fuzzy title.
"""

from __future__ import annotations

from dataclasses import dataclass

import psycopg
from rapidfuzz import fuzz

from crm.conversation.understanding import fold

FIELDS = {
    "price": ("price", "precio"),
    "category": ("category", "categoria"),
    "warranty": ("warranty", "garantia"),
    "availability": ("availability", "disponibilidad"),
}
MATCH_SCORE = 85  # token-set similarity at or above which a line item is the product


@dataclass(frozen=True)
class Product:
    name: str
    language: str
    price: str | None = None
    currency: str = "USD"
    category: str | None = None
    warranty: str | None = None
    availability: str | None = None
    source: str = ""

    def facts(self) -> str:
        """The product's row as the LLM sees it: only what the knowledge base states."""
        parts = [f"{field}: {value}" for field, value in self.__dict__.items() if value]
        return "; ".join(parts)


def parse_row(title: str, language: str, body: str, source: str = "") -> Product | None:
    """A product from a CSV passage body (`key: value; ...`); None without a price column."""
    found: dict[str, str] = {}
    currency = "USD"
    for part in body.split("; "):
        key, _, value = part.partition(": ")
        folded = fold(key)
        for field, prefixes in FIELDS.items():
            if folded.startswith(prefixes) and value:
                found[field] = value.strip()
                if field == "price" and folded.split()[-1] not in prefixes:
                    currency = folded.split()[-1].upper()
    if "price" not in found:
        return None
    return Product(title, language, currency=currency, source=source, **found)


def knowledge_products(conn: psycopg.Connection, language: str) -> list[Product]:
    """Every product row of the knowledge base in `language` (any language if none)."""
    rows = conn.execute(
        "select title, language, body, source_path from app.knowledge_passages"
        " where source_path ilike '%%.csv'"
        " order by language <> %s, source_path, passage_id",
        (language,),
    ).fetchall()
    products = [parse_row(*row) for row in rows]
    in_language = [p for p in products if p and p.language == language]
    return in_language or [p for p in products if p]


BEST_SELLERS_SQL = """
with paid as (
    select order_id from marts.fct_orders where status = 'paid'
), latest as (
    select distinct on (e.resource_id) e.resource_id, e.body
    from raw.commerce_events e join paid on paid.order_id = e.resource_id
    where e.topic like 'orders/%%'
    order by e.resource_id, e.id desc
)
select item ->> 'title', sum(coalesce((item ->> 'quantity')::int, 1)) as sold
from latest cross join jsonb_array_elements(coalesce(latest.body -> 'line_items', '[]')) item
group by 1 order by sold desc, 1
limit 50
"""


def best_sellers(conn: psycopg.Connection) -> list[tuple[str, int]]:
    """(line-item title, units sold) over paid orders; empty before the marts exist."""
    if conn.execute("select to_regclass('marts.fct_orders')").fetchone()[0] is None:
        return []
    return [(title, int(sold)) for title, sold in conn.execute(BEST_SELLERS_SQL) if title]


def rank_by_sales(products: list[Product], sold: list[tuple[str, int]]) -> list[Product]:
    """Products ordered by units sold (matched by fuzzy name), unsold ones after."""

    def units(product: Product) -> int:
        name = fold(product.name)
        return sum(n for title, n in sold if fuzz.token_set_ratio(name, fold(title)) >= MATCH_SCORE)

    return sorted(products, key=units, reverse=True)


def find_product(conn: psycopg.Connection, language: str, name: str | None) -> Product | None:
    """The named product (closest name), or the best seller when no name is given."""
    products = knowledge_products(conn, language)
    if not products:
        return None
    if name is None:
        return rank_by_sales(products, best_sellers(conn))[0]
    scored = [(fuzz.token_set_ratio(fold(name), fold(p.name)), p) for p in products]
    score, product = max(scored, key=lambda pair: pair[0])
    return product if score >= MATCH_SCORE else None
