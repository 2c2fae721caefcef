"""Phone numbers -> E.164, validity, line type, extension, and a cross-source matching key.

The same person reaches us as WhatsApp's `50761234567`, a CRM's `6123-4567` and a form's
`+507 6123 4567`; in Mexico as `52 1 55...` and `52 55...`; in Brazil with and without
the mobile 9th digit. `e164` is the best dialable form; `phone_key` folds those national
variants so identity resolution can join on it. Extensions and junk are split off first
so that "n/a" or "x12" never reach the parser.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Any

import pandas as pd
import phonenumbers as pn

from ingestion.hygiene.text import as_text

COLUMNS = ("e164", "phone_key", "valid", "line_type", "extension", "fixes", "issue")
LINE_TYPES = {
    value: name.lower() for name, value in vars(pn.PhoneNumberType).items() if name.isupper()
}
EXTENSION = re.compile(
    r"\s*[,;]?\s*(?:ext(?:ension|ensi[oó]n)?\.?|anexo|int\.?|x|#)\s*:?\s*(\d{1,6})\s*$",
    re.IGNORECASE,
)
LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)
DIALABLE = re.compile(r"[\d+]")


@dataclass
class PhoneResult:
    """One cleaned phone; `issue` names why e164 is missing or not valid."""

    e164: str | None = None
    phone_key: str | None = None
    valid: bool = False
    line_type: str | None = None
    extension: str | None = None
    fixes: list[str] = field(default_factory=list)
    issue: str | None = None


def split_extension(text: str) -> tuple[str, str | None]:
    """("212-555-0100", "12") from "212-555-0100 ext. 12" (also x12, #12, anexo 12)."""
    match = EXTENSION.search(text)
    if not match or len(re.sub(r"\D", "", text[: match.start()])) < 6:
        return text, None
    return text[: match.start()], match.group(1)


def junk_reason(text: str) -> str | None:
    """Why a value cannot be a phone: letters ("n/a"), too few digits, one digit repeated."""
    digits = re.sub(r"\D", "", text)
    if LETTERS.search(text):
        return "not_a_phone"
    if len(digits) < 6:
        return "too_short"
    if len(set(digits)) == 1:
        return "placeholder"
    return None


def _parse(text: str, region: str) -> tuple[pn.PhoneNumber | None, list[str]]:
    """Parse in the record's region; retry bare digits as international (WhatsApp wa_ids).

    National variants are repaired on both attempts, so a Mexican wa_id `521...` read
    with the default region PA still ends as the valid `+52...` number.
    """
    fixes: list[str] = []
    try:
        number = pn.parse(text, region)
    except pn.NumberParseException:
        number = None
    if number is not None:
        number, fixes = _national_variant(number)
    if text.lstrip().startswith("+") or (number is not None and pn.is_valid_number(number)):
        return number, fixes
    try:
        alt, alt_fixes = _national_variant(pn.parse("+" + re.sub(r"\D", "", text), None))
    except pn.NumberParseException:
        return number, fixes
    if pn.is_valid_number(alt) or number is None:
        return alt, ["phone:international_without_plus", *alt_fixes]
    return number, fixes


def _national_variant(number: pn.PhoneNumber) -> tuple[pn.PhoneNumber, list[str]]:
    """Repair an invalid Mexican `1`-prefixed mobile or a Brazilian mobile missing its 9."""
    if pn.is_valid_number(number):
        return number, []
    national = str(number.national_number)
    if number.country_code == 52 and len(national) == 11 and national.startswith("1"):
        candidate, fix = national[1:], "phone:mx_mobile_1_removed"
    elif number.country_code == 55 and len(national) == 10:
        candidate, fix = national[:2] + "9" + national[2:], "phone:br_ninth_digit_added"
    else:
        return number, []
    alt = pn.PhoneNumber(country_code=number.country_code, national_number=int(candidate))
    return (alt, [fix]) if pn.is_valid_number(alt) else (number, [])


def phone_key(e164: str | None) -> str | None:
    """Digits of the E.164 form with national variants folded (MX 521 -> 52, BR 9th digit)."""
    if not e164:
        return None
    digits = e164.lstrip("+")
    if digits.startswith("521") and len(digits) == 13:
        return "52" + digits[3:]
    if digits.startswith("55") and len(digits) == 13 and digits[4] == "9":
        return digits[:4] + digits[5:]
    return digits


@lru_cache(maxsize=200_000)
def _clean_text(text: str, region: str) -> PhoneResult:
    """The rules for one non-empty phone string in one region (cached: imports repeat)."""
    body, extension = split_extension(text)
    fixes = ["phone:extension_separated"] if extension else []
    reason = junk_reason(body)
    if reason:
        return PhoneResult(extension=extension, fixes=[*fixes, "phone:junk_removed"], issue=reason)
    number, parse_fixes = _parse(body, region)
    if number is None:
        return PhoneResult(extension=extension, fixes=fixes, issue="unparseable")
    valid = pn.is_valid_number(number)
    e164 = pn.format_number(number, pn.PhoneNumberFormat.E164)
    return PhoneResult(
        e164=e164,
        phone_key=phone_key(e164),
        valid=valid,
        line_type=LINE_TYPES.get(pn.number_type(number)) if valid else None,
        extension=extension or (number.extension or None),
        fixes=[*fixes, *parse_fixes] + ([] if e164 == body else ["phone:formatted_e164"]),
        issue=None if valid else "invalid_number",
    )


def clean_phone(raw: Any, region: str | None = "PA") -> PhoneResult:
    """Clean one raw phone, parsing national numbers in `region` (ISO alpha-2)."""
    text = as_text(raw)
    if text is None:
        return PhoneResult(issue="missing")
    result = _clean_text(text, (as_text(region) or "ZZ").upper())
    return PhoneResult(**{**asdict(result), "fixes": list(result.fixes)})


def clean_phones(raw: pd.Series, regions: pd.Series | str | None = "PA") -> pd.DataFrame:
    """Vectorised `clean_phone`: one row per input row, columns `COLUMNS`, same index.

    Whitespace is collapsed with pandas string ops, then each distinct (phone, region)
    pair is parsed once: CRM exports and channel traffic repeat the same numbers a lot.
    """
    text = raw.astype("string").str.replace(r"\s+", " ", regex=True).str.strip()
    region = regions if isinstance(regions, pd.Series) else pd.Series(regions, index=raw.index)
    region = region.astype("string").str.upper().fillna("ZZ")
    pairs = pd.DataFrame({"text": text.replace("", pd.NA), "region": region})
    missing = pairs["text"].isna()
    uniq = pairs[~missing].drop_duplicates()
    rows = [asdict(_clean_text(t, r)) for t, r in zip(uniq["text"], uniq["region"], strict=True)]
    table = pd.DataFrame(rows, columns=list(COLUMNS), index=uniq.index)
    table[["text", "region"]] = uniq
    out = pairs.merge(table, on=["text", "region"], how="left").set_axis(raw.index)
    out.loc[missing, "issue"] = "missing"
    out["valid"] = out["valid"].eq(True)  # NaN (missing phones) is not valid
    out["fixes"] = [f if isinstance(f, list) else [] for f in out["fixes"]]
    out = out[list(COLUMNS)].astype(object)
    return out.where(out.notna(), None).astype({"valid": bool})
