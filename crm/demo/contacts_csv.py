"""A CRM contacts export for part of the world, as a Spanish Excel would save it.

Semicolon-separated, UTF-8 with a BOM, CRLF lines. It carries the mess real exports do:
the same person twice under two CRM records (phone as `6123-4567` vs `+507 6123 4567`,
accents dropped, e-mail in capitals), mixed date formats, and a couple of rows with no
`external_id`, which the import must reject by line number without stopping.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from pathlib import Path

from crm.demo.people import Person, strip_accents
from crm.demo.world import World
from ingestion.contacts import COLUMNS as CONTRACT_COLUMNS

COLUMNS = (*CONTRACT_COLUMNS, "lifecycle_stage", "owner")  # two extra, kept as attributes
STREETS = (
    "Calle 50",
    "Av. Balboa",
    "Vía España",
    "Calle 10 #5-23",
    "Av. Paulista 1000",
    "Main St 221",
    "Calle Mayor 12",
    "Av. Reforma 222",
)


@dataclass(frozen=True)
class ContactsExport:
    """What was written: the file, its data rows, and the mess planted in it."""

    path: Path
    rows: int
    duplicates: int  # extra rows for people already in the file
    bad_rows: int  # rows without external_id
    people: tuple[str, ...]  # Person.key of everyone exported


def write_contacts_csv(world: World, path: Path, share: float = 0.4) -> ContactsExport:
    """Export about `share` of the world's people, with duplicates and two bad rows."""
    rng = random.Random(world.seed * 31 + 5)
    chosen = [p for p in world.people if rng.random() < share]
    rows = [_row(rng, p, f"CRM-{10000 + i}") for i, p in enumerate(chosen)]
    twins = rng.sample(chosen, k=max(1, len(chosen) // 12))
    rows += [_messy_twin(rng, p, f"CRM-{20000 + i}") for i, p in enumerate(twins)]
    bad = [_row(rng, p, "") for p in rng.sample(chosen, k=2)]
    rng.shuffle(rows)
    for row in bad:
        rows.insert(rng.randrange(len(rows)), row)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, delimiter=";", lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)
    return ContactsExport(path, len(rows), len(twins), len(bad), tuple(p.key for p in chosen))


def _row(rng: random.Random, person: Person, external_id: str) -> dict[str, str]:
    """The clean-ish record a CRM holds for a person (fields sometimes left empty)."""
    city, state, postcode = rng.choice(person.country.cities)
    year, month, day = rng.randrange(1960, 2005), rng.randrange(1, 13), rng.randrange(1, 29)
    return {
        "external_id": external_id,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "full_name": person.full_name,
        "email": person.email if rng.random() < 0.85 else "",
        "phone": _international(person) if rng.random() < 0.9 else "",
        "company": person.company or "",
        "street": rng.choice(STREETS),
        "city": city,
        "postcode": postcode,
        "state": state,
        "country": person.country.code,
        "date_of_birth": rng.choice(
            (f"{day:02d}/{month:02d}/{year}", f"{year}-{month:02d}-{day:02d}", "")
        ),
        "lifecycle_stage": rng.choice(("lead", "lead", "opportunity", "customer")),
        "owner": rng.choice(("ana.ruiz", "carlos.m", "ventas", "")),
    }


def _messy_twin(rng: random.Random, person: Person, external_id: str) -> dict[str, str]:
    """The same person keyed in again by someone else: national phone, no accents, CAPS mail."""
    row = _row(rng, person, external_id)
    first, last = strip_accents(person.first_name), strip_accents(person.last_name)
    row |= {
        "first_name": first,
        "last_name": last.upper() if rng.random() < 0.3 else last,
        "full_name": f"{first} {last}",
        "email": person.email.upper() if rng.random() < 0.5 else person.email.capitalize(),
        "phone": person.phone.national,
        "country": rng.choice((person.country.code, _country_name(person.country.code))),
        "company": (person.company or "").lower(),
    }
    return row


def _international(person: Person) -> str:
    """`+507 6123 4567` style: the dialling code, a space, then the number in groups."""
    digits = person.phone.e164
    dial = person.country.dial
    rest = digits[len(dial) :]
    groups = [rest[i : i + 4] for i in range(0, len(rest), 4)]
    return f"+{dial} " + " ".join(groups)


def _country_name(code: str) -> str:
    return {
        "PA": "Panamá",
        "MX": "México",
        "CO": "Colombia",
        "BR": "Brasil",
        "US": "USA",
        "ES": "España",
        "CR": "Costa Rica",
        "AR": "Argentina",
        "CL": "Chile",
        "PE": "Perú",
    }.get(code, code)
