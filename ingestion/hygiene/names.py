"""Person names: a display form with accents and proper casing, a matching form, a split.

"maría JOSÉ de la cruz 😊" and "Sra. Maria Jose De La Cruz" are one person. The display
form keeps the accents (NFC) and fixes only all-upper or all-lower words, so "McDonald"
survives; the matching form drops accents, case, honorifics and punctuation. Spanish
speakers carry two surnames and sources often keep only the first, so the split returns
a `last_names` list (particles such as "de la" and "y" stay with their surname) that
identity resolution can compare element-wise.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Any

import pandas as pd

from ingestion.hygiene.text import as_text, collapse, fold

COLUMNS = ("display_name", "first_name", "last_name", "last_names", "name_key", "fixes")
_HONORIFIC_WORDS = (
    "sr sra srta sres dr dra lic licda licdo ing arq prof profa mr mrs ms miss mx dn "
    "don dona doña sir señor senor señora senora señorita senorita"
)
HONORIFICS = _HONORIFIC_WORDS.split()
HONORIFIC = re.compile(r"^(?:(?:" + "|".join(HONORIFICS) + r")\.?(?:\s+|$))+", re.IGNORECASE)
EMOJI = re.compile(
    "[\U0001f000-\U0001faff\U00002600-\U000027bf\U0001f1e6-\U0001f1ff"
    "\u200d\ufe0f\u20e3\u2190-\u21ff\u2b00-\u2bff]+"
)
_PARTICLE_WORDS = "de del la las los y e da das do dos van von der den di du san santa"
PARTICLES = frozenset(_PARTICLE_WORDS.split())
# Second given names that make "María José García" a compound first name, not a surname.
_GIVEN_WORDS = (
    "maria jose luis carlos antonio manuel miguel angel juan pablo andres eduardo francisco "
    "alberto javier ignacio jesus daniel david fernando enrique alejandro rafael ramon "
    "elena isabel teresa fernanda alejandra carmen lucia sofia paula andrea cristina "
    "victoria eugenia guadalupe del mar de los angeles"
)
GIVEN_SECONDS = frozenset(_GIVEN_WORDS.split())


@dataclass
class NameResult:
    """One cleaned name; `last_names` holds each surname with its particles."""

    display_name: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    last_names: list[str] = field(default_factory=list)
    name_key: str | None = None
    fixes: list[str] = field(default_factory=list)


def strip_decorations(text: str) -> tuple[str, list[str]]:
    """Remove emoji and leading honorifics ("Sr.", "Dra.", "Don"); report what was done."""
    fixes = []
    bare = collapse(EMOJI.sub(" ", text))
    if bare != text:
        fixes.append("name:emoji_removed")
    titled = HONORIFIC.sub("", bare).strip(" ,.;-")
    if titled != bare:
        fixes.append("name:honorific_removed")
    return titled, fixes


def _case_word(word: str, first: bool) -> str:
    """Recase one word only when its casing carries no information (all upper/lower)."""
    if not (word.isupper() or word.islower()):
        return word
    if not first and word.lower() in PARTICLES:
        return word.lower()
    parts = re.split("([-'\u2019])", word.lower())
    return "".join(part[:1].upper() + part[1:] for part in parts)


def proper_case(text: str) -> str:
    """ "maría JOSÉ de la cruz" -> "María José de la Cruz"; "McDonald" stays."""
    return " ".join(_case_word(word, i == 0) for i, word in enumerate(text.split()))


def surname_units(text: str) -> list[str]:
    """Group particles with the word after them: "de la Cruz Pérez" -> ["de la Cruz", "Pérez"]."""
    units, pending = [], []
    for word in text.split():
        pending.append(word)
        if word.lower() not in PARTICLES:
            units.append(" ".join(pending))
            pending = []
    if pending:  # a trailing particle ("García y") belongs to the last unit
        tail = " ".join(pending)
        units = [*units[:-1], f"{units[-1]} {tail}"] if units else [tail]
    return units


def split_full_name(text: str) -> tuple[str, list[str]]:
    """Given names and surnames from a full name, by the Spanish two-surname convention."""
    units = surname_units(text)
    if len(units) <= 1:
        return text, []
    given = 1
    if len(units) >= 4 or (len(units) == 3 and fold(units[1]) in GIVEN_SECONDS):
        given = len(units) - 2 if len(units) >= 4 else 2
    return " ".join(units[:given]), units[given:]


def _part(value: Any) -> tuple[str | None, list[str]]:
    """One name field decorated-stripped and recased, with the fixes that took."""
    text = as_text(value)
    if text is None:
        return None, []
    bare, fixes = strip_decorations(text)
    cased = proper_case(bare)
    if cased != bare:
        fixes.append("name:recased")
    return cased or None, fixes


@lru_cache(maxsize=200_000)
def _clean(first: str | None, last: str | None, full: str | None) -> NameResult:
    """The rules on already-stringified parts (cached: the vectorised path repeats names)."""
    given, fixes = _part(first)
    surname, last_fixes = _part(last)
    whole, full_fixes = _part(full)
    if given and not surname and not whole and " " in given:
        whole, given = given, None  # "Juan Pérez" typed into first_name
    if given or surname:
        surnames = surname_units(surname) if surname else []
        fixes += last_fixes
    elif whole:
        given, surnames = split_full_name(whole)
        fixes = full_fixes + (["name:split_full_name"] if surnames else [])
    else:
        return NameResult()
    display = " ".join(filter(None, [given, *surnames]))
    fixes = list(dict.fromkeys(fixes))
    last_name = " ".join(surnames) or None
    return NameResult(display, given, last_name, surnames, fold(display) or None, fixes)


def clean_name(first: Any = None, last: Any = None, full: Any = None) -> NameResult:
    """Clean one person's name from any of first/last/full (separate fields win)."""
    result = _clean(as_text(first), as_text(last), as_text(full))
    return NameResult(**{**asdict(result), "last_names": list(result.last_names)})


def clean_names(
    first: pd.Series | None = None, last: pd.Series | None = None, full: pd.Series | None = None
) -> pd.DataFrame:
    """Vectorised `clean_name`: NFC and whitespace with pandas string ops, each distinct
    (first, last, full) triple cleaned once; one row per input row, same index."""
    index = next(s.index for s in (first, last, full) if s is not None)
    parts = pd.DataFrame(
        {
            key: (s if s is not None else pd.Series(None, index=index, dtype="string"))
            .astype("string")
            .str.normalize("NFC")
            .str.replace(r"\s+", " ", regex=True)
            .str.strip()
            .replace("", pd.NA)
            .astype(object)
            for key, s in (("first", first), ("last", last), ("full", full))
        }
    )
    parts = parts.where(parts.notna(), None)
    keys = list(zip(parts["first"], parts["last"], parts["full"], strict=True))
    cache = {key: asdict(_clean(*key)) for key in dict.fromkeys(keys)}
    out = pd.DataFrame([cache[key] for key in keys], columns=list(COLUMNS), index=index)
    return out.astype(object).where(out.notna(), None)
