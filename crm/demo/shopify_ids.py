"""Shopify-shaped pieces for the demo shop: ids, the catalogue, baskets and refunds.

Ids come from a namespace and a counter (unique, deterministic); prices are USD strings
with two decimals, the way Shopify's webhooks carry money.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

CATALOG = (
    ("Laptop Pro 14", "LP14", "1199.00"),
    ("Wireless Earbuds", "EB-2", "89.99"),
    ("iPhone 15 128GB", "IP15", "829.00"),
    ("Air Fryer 5L", "AF5", "119.50"),
    ("Gaming Chair", "GC-1", "249.00"),
    ("Running Shoes", "RS-42", "139.99"),
    ("Smart TV 55", "TV55", "579.00"),
    ("USB-C Hub", "HUB-7", "35.50"),
)


@dataclass
class Ids:
    """Shopify-shaped ids from a namespace and a counter: unique and deterministic."""

    namespace: str
    n: int = 0

    def _digest(self) -> bytes:
        self.n += 1
        return hashlib.sha256(f"shopify:{self.namespace}:{self.n}".encode()).digest()

    def number(self, digits: int) -> int:
        return 10 ** (digits - 1) + int.from_bytes(self._digest()[:8]) % (9 * 10 ** (digits - 1))

    def hex(self) -> str:
        return self._digest()[:16].hex()

    def uuid(self) -> str:
        h = self._digest()[:16].hex()
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def basket(rng: random.Random, ids: Ids) -> tuple[list[dict], dict[str, str]]:
    """One to three catalogue lines and the totals Shopify computes (USD, as strings)."""
    items = []
    for title, sku, price in rng.sample(CATALOG, k=rng.choice((1, 1, 1, 2, 3))):
        quantity = rng.choice((1, 1, 1, 2))
        items.append({"id": ids.number(18), "title": title, "sku": sku, "vendor": "Acme"})
        items[-1] |= {"quantity": quantity, "price": price, "product_id": ids.number(9)}
    subtotal = sum(Decimal(i["price"]) * i["quantity"] for i in items)
    tax = (subtotal * Decimal("0.07")).quantize(Decimal("0.01"))
    shipping = Decimal("0.00") if subtotal >= 100 else Decimal("12.00")
    total = subtotal + tax + shipping
    money = {"subtotal_price": subtotal, "total_tax": tax, "total_price": total}
    return items, {k: f"{v:.2f}" for k, v in money.items()}


def refund_body(rng: random.Random, ids: Ids, order: dict, at: datetime) -> dict:
    """A refunds/create body: all or half of the order back, as one refund transaction."""
    total = Decimal(order["total_price"])
    amount = total if rng.random() < 0.5 else (total / 2).quantize(Decimal("0.01"))
    transaction = {"id": ids.number(9), "order_id": order["id"], "kind": "refund"}
    transaction |= {"status": "success", "amount": str(amount), "currency": "USD"}
    body = {"id": ids.number(9), "order_id": order["id"], "created_at": at.isoformat()}
    body |= {"note": "Devolución", "restock": True, "transactions": [transaction]}
    return body
