"""E-mail addresses: trimmed, lower-cased, syntax-checked, typo-fixed, and a canonical key.

`email` is what we would send to; `email_key` is what identity resolution joins on, and
it only drops what the provider itself ignores: Gmail ignores dots and `+tags`,
Outlook/Hotmail/Live ignore `+tags` (dots matter), Yahoo's subaddresses use `-`. Every
other domain keeps its local part, because a corporate server may treat `a.b` and `ab`
as two people. Syntax only (`email-validator` without DNS): the pipeline must be
deterministic and offline.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Any

import pandas as pd
from email_validator import EmailNotValidError, validate_email

from ingestion.hygiene.text import as_text

COLUMNS = ("email", "email_key", "valid", "free_mail", "fixes", "issue")
DOMAIN_TYPOS = {
    "gmial.com": "gmail.com", "gmal.com": "gmail.com", "gmai.com": "gmail.com",
    "gamil.com": "gmail.com", "gnail.com": "gmail.com", "gmail.co": "gmail.com",
    "gmail.cm": "gmail.com", "gmail.om": "gmail.com", "gmaill.com": "gmail.com",
    "hotmial.com": "hotmail.com", "hotmal.com": "hotmail.com", "homail.com": "hotmail.com",
    "hotmai.com": "hotmail.com", "hotmail.co": "hotmail.com", "hotmil.com": "hotmail.com",
    "hotamil.com": "hotmail.com", "outlok.com": "outlook.com", "outloo.com": "outlook.com",
    "yahooo.com": "yahoo.com", "yaho.com": "yahoo.com", "yhaoo.com": "yahoo.com",
    "iclod.com": "icloud.com", "icoud.com": "icloud.com",
}  # fmt: skip
# Free-mail providers (global and Latin-American); any country TLD of the big families
# (gmail.*, hotmail.*, outlook.*, live.*, yahoo.*) also counts, see `is_free_mail`.
FREE_MAIL = frozenset(
    [
        "gmail.com",
        "googlemail.com",
        "hotmail.com",
        "outlook.com",
        "live.com",
        "msn.com",
        "yahoo.com",
        "ymail.com",
        "rocketmail.com",
        "icloud.com",
        "me.com",
        "mac.com",
        "aol.com",
        "proton.me",
        "protonmail.com",
        "pm.me",
        "yandex.com",
        "yandex.ru",
        "gmx.com",
        "gmx.net",
        "gmx.de",
        "mail.com",
        "zoho.com",
        "tutanota.com",
        "hey.com",
        "mail.ru",
        "hotmail.es",
        "hotmail.com.mx",
        "hotmail.com.br",
        "hotmail.com.ar",
        "yahoo.es",
        "yahoo.com.mx",
        "yahoo.com.br",
        "yahoo.com.ar",
        "yahoo.com.co",
        "outlook.es",
        "live.com.mx",
        "prodigy.net.mx",
        "terra.com.br",
        "terra.com.mx",
        "terra.es",
        "uol.com.br",
        "bol.com.br",
        "ig.com.br",
        "globo.com",
        "r7.com",
        "speedy.com.ar",
        "fibertel.com.ar",
        "cantv.net",
        "une.net.co",
        "etb.net.co",
        "cwpanama.net",
        "movistar.es",
        "telefonica.net",
    ]
)
FREE_FAMILIES = ("gmail", "googlemail", "hotmail", "outlook", "live", "yahoo", "ymail")
PLUS_TAGS = ("hotmail", "outlook", "live", "msn")


def fix_domain_typo(address: str) -> tuple[str, str | None]:
    """Repair common domain typos (gmial.com, hotmial.com, gmail.con); return the fix."""
    local, at, domain = address.rpartition("@")
    if not at:
        return address, None
    fixed = DOMAIN_TYPOS.get(domain, re.sub(r"[.,]con$|,com$", ".com", domain))
    if fixed == domain:
        return address, None
    return f"{local}@{fixed}", f"email:domain_typo_fixed({domain}->{fixed})"


def _family(domain: str) -> str | None:
    """'hotmail' for hotmail.com.mx, 'yahoo' for yahoo.es ...; None for other domains."""
    label, _, tld = domain.partition(".")
    return label if label in FREE_FAMILIES and tld.count(".") <= 1 else None


def is_free_mail(domain: str) -> bool:
    """True for consumer mailbox providers; False means a (probably) corporate domain."""
    return domain in FREE_MAIL or _family(domain) is not None


def email_key(address: str) -> str:
    """The provider-aware canonical form used to match people across sources."""
    local, _, domain = address.rpartition("@")
    family = _family(domain)
    if family in ("gmail", "googlemail"):
        return local.split("+", 1)[0].replace(".", "") + "@gmail.com"
    if family in PLUS_TAGS:
        return f"{local.split('+', 1)[0]}@{domain}"
    if family in ("yahoo", "ymail"):
        return f"{local.split('-', 1)[0]}@{domain}"
    return address


@dataclass
class EmailResult:
    """One cleaned address; `issue` says why `valid` is False."""

    email: str | None = None
    email_key: str | None = None
    valid: bool = False
    free_mail: bool | None = None
    fixes: list[str] = field(default_factory=list)
    issue: str | None = None


@lru_cache(maxsize=200_000)
def _clean_text(text: str) -> EmailResult:
    """The rules for one trimmed, non-empty value (cached: the same addresses recur)."""
    fixes = []
    address = text.strip("<>\"' ;,").removeprefix("mailto:").replace(" ", "")
    if address != text:
        fixes.append("email:stripped")
    if address != address.lower():
        address = address.lower()
        fixes.append("email:lowercased")
    address, typo = fix_domain_typo(address)
    fixes += [typo] if typo else []
    try:
        checked = validate_email(address, check_deliverability=False)
    except EmailNotValidError as exc:
        return EmailResult(email=address, fixes=fixes, issue=f"invalid: {exc}")
    address = checked.normalized.lower()
    domain = address.rpartition("@")[2]
    return EmailResult(address, email_key(address), True, is_free_mail(domain), fixes)


def clean_email(raw: Any) -> EmailResult:
    """Clean one raw e-mail value (None, blank and NaN give issue 'missing')."""
    text = as_text(raw)
    if text is None:
        return EmailResult(issue="missing")
    result = _clean_text(text)
    return EmailResult(**{**asdict(result), "fixes": list(result.fixes)})


def clean_emails(raw: pd.Series) -> pd.DataFrame:
    """Vectorised `clean_email`: trimmed with pandas string ops, each distinct value
    checked once, results mapped back; one row per input row, same index."""
    text = raw.astype("string").str.strip().replace("", pd.NA)
    uniques = text.dropna().unique()
    table = pd.DataFrame([asdict(_clean_text(t)) for t in uniques], columns=list(COLUMNS))
    table.index = pd.Index(uniques, dtype="string")
    out = table.reindex(text.to_numpy()).set_axis(raw.index).astype(object)
    out.loc[text.isna().to_numpy(), "issue"] = "missing"
    out["fixes"] = [f if isinstance(f, list) else [] for f in out["fixes"]]
    out = out.where(out.notna(), None)
    return out.astype({"valid": bool})
