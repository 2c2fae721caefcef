"""Dates of birth in any common format -> ISO date, with impossible values flagged.

Exports carry "31/12/1990", "1990-12-31", the US "12/31/1990", "31 dic 1990",
"31 de diciembre de 1990", "Dec 31, 1990" and Excel serial numbers (33238). Day-first
is the default (our customers are mostly Latin-American); month-first is used when the
record's country is US, or when the second number cannot be a month. Dates that do not
exist, lie in the future or give an age over 120 are reported, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import pandas as pd

from ingestion.hygiene.text import as_text, fold

COLUMNS = ("date_of_birth", "fixes", "issue")
MONTHS = {
    **dict.fromkeys(["ene", "enero", "jan", "january", "janeiro", "janvier"], 1),
    **dict.fromkeys(["feb", "febrero", "february", "fev", "fevereiro", "fevrier"], 2),
    **dict.fromkeys(["mar", "marzo", "march", "marco", "mars"], 3),
    **dict.fromkeys(["abr", "abril", "apr", "april", "avr", "avril"], 4),
    **dict.fromkeys(["may", "mayo", "mai", "maio"], 5),
    **dict.fromkeys(["jun", "junio", "june", "junho", "juin"], 6),
    **dict.fromkeys(["jul", "julio", "july", "julho", "juillet"], 7),
    **dict.fromkeys(["ago", "agosto", "aug", "august", "aout"], 8),
    **dict.fromkeys(["sep", "sept", "set", "septiembre", "setiembre", "september", "setembro"], 9),
    **dict.fromkeys(["oct", "octubre", "october", "out", "outubro", "octobre"], 10),
    **dict.fromkeys(["nov", "noviembre", "november", "novembro", "novembre"], 11),
    **dict.fromkeys(["dic", "diciembre", "dec", "december", "dez", "dezembro", "decembre"], 12),
}
ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T].*)?$")
COMPACT = re.compile(r"^(19|20)(\d{2})(\d{2})(\d{2})$")
NUMERIC = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})(?:[ T].*)?$")
EXCEL_EPOCH = date(1899, 12, 30)


@dataclass
class DateResult:
    date_of_birth: str | None = None
    fixes: list[str] = field(default_factory=list)
    issue: str | None = None


def _year(text: str, today: date) -> int:
    """Four-digit year; two digits pivot so that the date of birth is not in the future."""
    year = int(text)
    if len(text) == 2:
        year += 2000 if year <= today.year % 100 else 1900
    return year


def _numeric(day_or_month: int, month_or_day: int, us: bool) -> tuple[int, int, str | None]:
    """(day, month, fix) for a d/m or m/d pair: US order when asked or forced by a day > 12."""
    if us or (month_or_day > 12 >= day_or_month):
        return month_or_day, day_or_month, "dob:month_first"
    return day_or_month, month_or_day, None


def _words(text: str, today: date) -> tuple[int, int, int] | None:
    """'31 dic 1990', '31 de diciembre de 1990', 'Dec 31, 1990' -> (year, month, day)."""
    tokens = [t for t in fold(text).split() if t not in ("de", "del", "of")]
    months = [MONTHS[t] for t in tokens if t in MONTHS]
    numbers = [t for t in tokens if t.isdigit()]
    if len(months) != 1 or len(numbers) != 2:
        return None
    day, year = numbers if len(numbers[0]) <= 2 else numbers[::-1]
    return _year(year, today), months[0], int(day)


def _parts(text: str, us: bool, today: date) -> tuple[tuple[int, int, int] | None, list[str]]:
    """(year, month, day) from one of the supported shapes, plus the fixes it implied."""
    if match := ISO.match(text):
        return (int(match[1]), int(match[2]), int(match[3])), []
    if match := COMPACT.match(text):
        return (int(match[1] + match[2]), int(match[3]), int(match[4])), []
    if match := NUMERIC.match(text):
        day, month, fix = _numeric(int(match[1]), int(match[2]), us)
        fixes = [fix] if fix else []
        return (_year(match[3], today), month, day), fixes + (
            ["dob:two_digit_year"] if len(match[3]) == 2 else []
        )
    if text.isdigit() and 1 <= int(text) <= 80_000:
        serial = EXCEL_EPOCH + timedelta(days=int(text))
        return (serial.year, serial.month, serial.day), ["dob:excel_serial"]
    return _words(text, today), ["dob:month_name"]


def parse_dob(value: Any, country: str | None = None, today: date | None = None) -> DateResult:
    """Parse one date of birth to ISO 'YYYY-MM-DD'; `country` (alpha-2) decides US order."""
    if isinstance(value, datetime | date):
        value = value.strftime("%Y-%m-%d")
    text = as_text(value)
    if text is None:
        return DateResult(issue="missing")
    today = today or date.today()
    parts, fixes = _parts(text, (country or "").upper() == "US", today)
    if parts is None:
        return DateResult(issue="unparseable_date")
    try:
        born = date(*parts)
    except ValueError:
        return DateResult(fixes=fixes, issue="impossible_date")
    iso = born.isoformat()
    fixes += [] if iso == text else ["dob:iso_format"]
    if born > today:
        return DateResult(iso, fixes, "future_date")
    if (today.year - born.year) - ((today.month, today.day) < (born.month, born.day)) > 120:
        return DateResult(iso, fixes, "age_over_120")
    return DateResult(iso, list(dict.fromkeys(fixes)))


def parse_dobs(
    values: pd.Series, countries: pd.Series | str | None = None, today: date | None = None
) -> pd.DataFrame:
    """Vectorised `parse_dob`: each distinct (value, country) pair parsed once."""
    country = (
        countries if isinstance(countries, pd.Series) else pd.Series(countries, index=values.index)
    )
    keys = list(zip(values.astype(object), country.astype(object), strict=True))
    cache = {key: asdict(parse_dob(key[0], key[1], today)) for key in dict.fromkeys(keys)}
    out = pd.DataFrame([cache[key] for key in keys], columns=list(COLUMNS), index=values.index)
    return out.astype(object).where(out.notna(), None)
