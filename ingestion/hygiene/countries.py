"""Country names in any language, ISO alpha-2 or alpha-3 codes -> ISO 3166-1 alpha-2.

Imports say "Panamá", "panama", "PA", "PAN", "EE.UU." or "Brasil"; the phone rules need
one region code to parse national numbers. Names come from the localised country names
that ship with `phonenumbers` (about 250 regions, dozens of languages), plus alpha-3
codes and the colloquial forms seen in Latin-American CRM exports.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import pandas as pd
from phonenumbers import SUPPORTED_REGIONS
from phonenumbers.geodata.locale import LOCALE_DATA

from ingestion.hygiene.text import as_text, fold

# Alpha-3 for the regions our customers write most; others still resolve by name.
ALPHA3 = {
    "ARG": "AR", "BOL": "BO", "BRA": "BR", "CAN": "CA", "CHL": "CL", "COL": "CO",
    "CRI": "CR", "CUB": "CU", "DOM": "DO", "ECU": "EC", "SLV": "SV", "GTM": "GT",
    "HND": "HN", "MEX": "MX", "NIC": "NI", "PAN": "PA", "PRY": "PY", "PER": "PE",
    "PRI": "PR", "URY": "UY", "VEN": "VE", "USA": "US", "ESP": "ES", "PRT": "PT",
    "FRA": "FR", "DEU": "DE", "ITA": "IT", "GBR": "GB", "NLD": "NL", "BEL": "BE",
    "CHE": "CH", "AUT": "AT", "IRL": "IE", "CHN": "CN", "JPN": "JP", "KOR": "KR",
    "IND": "IN", "AUS": "AU", "NZL": "NZ", "ISR": "IL", "TUR": "TR", "RUS": "RU",
    "JAM": "JM", "TTO": "TT", "HTI": "HT", "BLZ": "BZ", "GUY": "GY", "SUR": "SR",
}  # fmt: skip
# Colloquial and abbreviated forms, keyed by their fold without spaces or dots.
ALIASES = {
    "eeuu": "US", "usa": "US", "us": "US", "unitedstatesofamerica": "US",
    "estadosunidosdeamerica": "US", "eua": "US", "america": "US",
    "uk": "GB", "greatbritain": "GB", "inglaterra": "GB", "england": "GB", "reinounido": "GB",
    "brasil": "BR", "brazil": "BR", "mejico": "MX", "espana": "ES", "spain": "ES",
    "republicadominicana": "DO", "repdominicana": "DO", "rd": "DO",
    "panama": "PA", "republicadepanama": "PA", "holanda": "NL", "alemania": "DE",
    "peru": "PE", "costarica": "CR", "elsalvador": "SV", "puertorico": "PR",
}  # fmt: skip
SQUASH = re.compile(r"[\s.\-_,']+")


def _key(text: str) -> str:
    return SQUASH.sub("", fold(text))


@cache
def _names() -> dict[str, str]:
    """Every localised name of every region, folded, -> region (built once, on first use)."""
    table: dict[str, str] = {}
    for region, names in LOCALE_DATA.items():
        if region not in SUPPORTED_REGIONS:
            continue
        for name in names.values():
            if not name.startswith("*"):
                table.setdefault(_key(name), region)
    table.update(ALIASES)
    return table


@cache
def _lookup(text: str) -> str | None:
    """Resolve one stripped value; codes first (exact), then names (folded)."""
    upper = text.upper()
    if len(upper) == 2 and upper in SUPPORTED_REGIONS:
        return upper
    if len(upper) == 3 and upper in ALPHA3:
        return ALPHA3[upper]
    return _names().get(_key(text))


def country_code(value: Any) -> str | None:
    """ISO alpha-2 for a country name/code in any common language, or None if unknown."""
    text = as_text(value)
    return _lookup(text) if text else None


def country_codes(values: pd.Series) -> pd.Series:
    """Vectorised `country_code`: each distinct value is resolved once, then mapped."""
    uniques = pd.unique(values.dropna())
    table = {value: country_code(value) for value in uniques}
    return values.map(table).astype("object").where(values.notna(), None)
