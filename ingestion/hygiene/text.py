"""Text helpers shared by the hygiene rules: Unicode normal forms and matching folds.

Sources disagree on accents, case and punctuation ("José" / "JOSE" / "jose."), so every
comparable form goes through the same `fold`; display forms keep accents in NFC, the
form Postgres and most UIs compare byte-wise.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import pandas as pd

SPACES = re.compile(r"\s+")
NON_WORD = re.compile(r"[^\w\s#]", re.UNICODE)


def is_missing(value: Any) -> bool:
    """None, NaN/NA and blank strings all mean "no value" in imports."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def as_text(value: Any) -> str | None:
    """A stripped NFC string, or None for missing values (numbers from Excel included)."""
    if is_missing(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # 61234567.0 from a spreadsheet is the number 61234567
    return collapse(unicodedata.normalize("NFC", str(value)))


def collapse(text: str) -> str:
    """Trim and turn every run of whitespace (tabs, NBSP, newlines) into one space."""
    return SPACES.sub(" ", text).strip()


def strip_accents(text: str) -> str:
    """Drop combining marks after NFKD: "María Núñez" -> "Maria Nunez"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold(text: str) -> str:
    """The matching form: no accents, lower case, punctuation as spaces, spaces collapsed."""
    return collapse(NON_WORD.sub(" ", strip_accents(text).casefold()))
