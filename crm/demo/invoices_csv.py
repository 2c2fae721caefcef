"""An invoicing system's export for part of the world: what `crm import invoices` reads.

Due dates fall around today (some paid, some overdue, some not due yet), so payment
reminders have every step to choose from; customers are named by e-mail, phone or both,
as billing exports do, and identity resolution links them to the leads who chatted.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path

from crm.demo.people import Person

HEADER = ("number", "email", "phone", "amount", "currency", "issued", "due", "paid_at")


def invoice_row(rng: random.Random, person: Person, n: int, today: date) -> dict[str, str]:
    """Invoice `n` of `person`: due within -20..+10 days of today; half of those past due
    already paid, and a few paid early."""
    due = today + timedelta(days=rng.randint(-20, 10))
    paid = (due < today and rng.random() < 0.5) or rng.random() < 0.1
    paid_at = due + timedelta(days=rng.randint(-5, 3)) if paid else None
    spelt = rng.random()
    return {
        "number": f"INV-{n + 1:06d}",
        "email": person.email if spelt < 0.7 else "",
        "phone": "+" + person.phone.e164 if spelt > 0.5 else "",
        "amount": f"{rng.uniform(20, 1500):.2f}",
        "currency": "USD",
        "issued": (due - timedelta(days=30)).isoformat(),
        "due": due.isoformat(),
        "paid_at": f"{min(paid_at, today)}T15:00:00Z" if paid_at else "",
    }


def write_invoices_csv(rows: Iterable[dict[str, str]], path: Path) -> int:
    """Write the export (comma-separated, UTF-8); the number of invoices written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = list(rows)
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, HEADER, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)
