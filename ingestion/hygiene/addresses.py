"""Streets, cities and postcodes in comparable forms.

"Av. Balboa No. 12", "avenida balboa #12" and "AVDA BALBOA Nº 12" are the same address:
the `*_key` forms fold accents and case and expand the usual Spanish and English
abbreviations so identity resolution can compare them; display forms only get their
whitespace and casing tidied. Postcodes are upper-cased without separators except where
the country's canonical form has one (GB, CA "A1A 1A1", US ZIP+4, BR CEP), and a leading
zero lost by a spreadsheet is restored for the all-digit formats.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ingestion.hygiene.names import proper_case
from ingestion.hygiene.text import as_text, fold

STREET_WORDS = {
    "av": "avenida", "ave": "avenida", "avda": "avenida", "avenue": "avenida",
    "c": "calle", "cl": "calle", "cll": "calle", "street": "calle", "st": "calle",
    "cra": "carrera", "kra": "carrera", "kr": "carrera", "cr": "carrera", "carr": "carrera",
    "blvd": "bulevar", "boulevard": "bulevar", "bulevard": "bulevar",
    "no": "#", "nro": "#", "num": "#", "numero": "#", "n": "#", "nº": "#", "n°": "#",
    "apto": "apartamento", "apt": "apartamento", "apartment": "apartamento", "dpto": "apartamento",
    "depto": "apartamento", "edif": "edificio", "ed": "edificio", "building": "edificio",
    "pso": "paseo", "pje": "pasaje", "psje": "pasaje", "ctra": "carretera",
    "col": "colonia", "urb": "urbanizacion", "rd": "road", "dr": "drive", "ln": "lane",
}  # fmt: skip
CITY_ALIASES = {
    "cdmx": "ciudad de mexico", "mexico df": "ciudad de mexico", "df": "ciudad de mexico",
    "mexico city": "ciudad de mexico", "panama city": "panama", "ciudad de panama": "panama",
    "bogota dc": "bogota", "bogota d c": "bogota", "sao paulo sp": "sao paulo",
    "nyc": "new york", "new york city": "new york", "la": "los angeles",
}  # fmt: skip
# Canonical postcode shapes: (pattern on the squashed value, digits to zero-pad to or 0).
POSTCODES = {
    "US": (re.compile(r"^\d{5}(\d{4})?$"), 5), "MX": (re.compile(r"^\d{5}$"), 5),
    "ES": (re.compile(r"^(0[1-9]|[1-4]\d|5[0-2])\d{3}$"), 5), "PA": (re.compile(r"^\d{4}$"), 4),
    "CO": (re.compile(r"^\d{6}$"), 6), "BR": (re.compile(r"^\d{8}$"), 8),
    "FR": (re.compile(r"^\d{5}$"), 5), "DE": (re.compile(r"^\d{5}$"), 5),
    "GB": (re.compile(r"^[A-Z]{1,2}\d[A-Z\d]?\d[A-Z]{2}$"), 0),
    "CA": (re.compile(r"^[A-Z]\d[A-Z]\d[A-Z]\d$"), 0), "NL": (re.compile(r"^\d{4}[A-Z]{2}$"), 0),
}  # fmt: skip


@dataclass
class PostcodeResult:
    postcode: str | None = None
    fixes: list[str] = field(default_factory=list)
    issue: str | None = None


def street_key(value: Any) -> str | None:
    """The comparable form of a street line: folded, abbreviations expanded, '#' for No."""
    text = as_text(value)
    if text is None:
        return None
    text = re.sub(r"\bc/\s*", "calle ", text, flags=re.IGNORECASE)
    text = re.sub(r"(?i)\bn[º°o]\.?\s*(?=\d)", " # ", text).replace("#", " # ")
    words = fold(text.replace("º", "o ").replace("°", "o ")).split()
    return " ".join(STREET_WORDS.get(word, word) for word in words) or None


def clean_street(value: Any) -> str | None:
    """Display form: whitespace collapsed; all-upper or all-lower words recased."""
    text = as_text(value)
    return proper_case(text) if text else None


def city_key(value: Any) -> str | None:
    """Comparable city: folded, with well-known aliases (CDMX, Panama City) unified."""
    text = as_text(value)
    if text is None:
        return None
    key = fold(text)
    return CITY_ALIASES.get(key, key) or None


def _shape(squashed: str, country: str) -> str:
    """Put back the separator that is part of a country's canonical postcode."""
    if country in ("GB", "CA"):
        return f"{squashed[:-3]} {squashed[-3:]}"
    if country == "US" and len(squashed) == 9:
        return f"{squashed[:5]}-{squashed[5:]}"
    if country == "BR":
        return f"{squashed[:5]}-{squashed[5:]}"
    return squashed


def clean_postcode(value: Any, country: str | None = None) -> PostcodeResult:
    """Upper-case, separators dropped (or canonical), lost leading zeros restored."""
    text = as_text(value)
    if text is None:
        return PostcodeResult(issue="missing")
    squashed = re.sub(r"[\s\-.]", "", text.upper())
    rule = POSTCODES.get((country or "").upper())
    fixes = []
    if rule and rule[1] and squashed.isdigit() and len(squashed) == rule[1] - 1:
        squashed = "0" + squashed  # a spreadsheet dropped the leading zero of "08001"
        fixes.append("postcode:leading_zero_restored")
    issue = None if rule is None or rule[0].match(squashed) else "invalid_postcode"
    shaped = _shape(squashed, country.upper()) if rule and not issue else squashed
    if shaped != text:
        fixes.append("postcode:normalised")
    return PostcodeResult(shaped, list(dict.fromkeys(fixes)), issue)
