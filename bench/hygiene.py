"""Time the vectorised phone + e-mail + name cleaning against a per-record loop, and the
pipeline's whole-table `clean_identities` on the same records.

Both paths call the same rules; the vectorised one tidies strings with pandas and runs
each distinct value once (the per-value caches are cleared before each run, so neither
path profits from the other). Prints records/s and the ratio; writes nothing.

    uv run python bench/hygiene.py [N]
"""

from __future__ import annotations

import random
import sys
import time

import pandas as pd

from ingestion.hygiene import emails, identities, names, phones

FIRST = ["maría", "JOSÉ", "Ana", "Juan Pablo", "luis", "Sofía", "Carlos", "Valentina"]
LAST = ["García Márquez", "pérez", "de la Cruz", "RODRÍGUEZ", "Ortega y Gasset", "Silva"]
DOMAINS = ["gmail.com", "GoogleMail.com", "hotmail.es", "yahoo.com.mx", "acme.com", "gmial.com"]
PHONES = [
    ("PA", lambda r: f"6{r.randint(100, 999)}-{r.randint(1000, 9999)}"),
    ("PA", lambda r: f"5076{r.randint(1000000, 9999999)}"),
    ("MX", lambda r: f"52 1 55 {r.randint(1000, 9999)} {r.randint(1000, 9999)}"),
    ("BR", lambda r: f"(11) 9{r.randint(1000, 9999)}-{r.randint(1000, 9999)}"),
    ("US", lambda r: f"212-555-{r.randint(1000, 9999)} x{r.randint(1, 99)}"),
]


def generate(n: int, seed: int = 7) -> pd.DataFrame:
    """N contacts from a pool of n/3 people, so values repeat as they do across sources."""
    rng = random.Random(seed)
    people = []
    for _ in range(max(1, n // 3)):
        region, make = rng.choice(PHONES)
        first, last = rng.choice(FIRST), rng.choice(LAST)
        email = f"{first.split()[0].lower()}.{rng.randint(1, 9999)}+crm@{rng.choice(DOMAINS)}"
        people.append((f"Sr. {first} {last}", email, make(rng), region))
    rows = [rng.choice(people) for _ in range(n)]
    return pd.DataFrame(rows, columns=["full_name", "email", "phone", "region"])


def clear_caches() -> None:
    for cached in (phones._clean_text, emails._clean_text, names._clean):
        cached.cache_clear()


def run_loop(frame: pd.DataFrame) -> float:
    clear_caches()
    start = time.perf_counter()
    for full, email, phone, region in frame.itertuples(index=False):
        phones.clean_phone(phone, region)
        emails.clean_email(email)
        names.clean_name(full=full)
    return time.perf_counter() - start


def run_vectorised(frame: pd.DataFrame) -> float:
    clear_caches()
    start = time.perf_counter()
    phones.clean_phones(frame["phone"], frame["region"])
    emails.clean_emails(frame["email"])
    names.clean_names(full=frame["full_name"])
    return time.perf_counter() - start


def run_identities(frame: pd.DataFrame) -> float:
    """The pipeline's whole-table path: every column of `ml.clean_identities`, fixes included."""
    clear_caches()
    table = pd.DataFrame(
        {
            "source": "import",
            "source_id": frame.index.astype(str),
            "full_name": frame["full_name"],
            "email_raw": frame["email"],
            "phone_raw": frame["phone"],
            "country_raw": frame["region"],
        }
    )
    start = time.perf_counter()
    identities.clean_identities(table)
    return time.perf_counter() - start


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    frame = generate(n)
    loop, vector = run_loop(frame), run_vectorised(frame)
    print(f"records: {n:,} ({frame.drop(columns='region').drop_duplicates().shape[0]:,} distinct)")
    print(f"per-record loop: {loop:6.2f} s  {n / loop:10,.0f} records/s")
    print(f"vectorised:      {vector:6.2f} s  {n / vector:10,.0f} records/s")
    print(f"ratio (vectorised / loop): {loop / vector:.1f}x")
    table = run_identities(frame)
    print(f"clean_identities (all columns): {table:6.2f} s  {n / table:10,.0f} records/s")


if __name__ == "__main__":
    main()
