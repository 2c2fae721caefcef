"""Company and domain type from an e-mail address: `ana@grupo-alfa.com.mx` -> "Grupo Alfa".

Free-mail domains (gmail, hotmail, the Latin-American ISPs) say nothing about an
employer; a corporate domain usually names it. The name is the domain's registrable label:
country and generic suffixes ("com.mx", "co.uk", "gob.pa") are dropped, and so are
subdomains such as "mail." or "correo.".
"""

from __future__ import annotations

from dataclasses import dataclass

from ingestion.hygiene.emails import is_free_mail

SECOND_LEVEL = frozenset(
    ["com", "co", "org", "net", "gob", "gov", "edu", "ac", "mil", "nom", "info", "biz"]
)
SUBDOMAINS = frozenset(["mail", "correo", "email", "e-mail", "webmail", "mx", "smtp"])
ACRONYM_LENGTH = 3  # "ibm", "bac" read as acronyms, not words


@dataclass(frozen=True)
class DomainFacts:
    domain: str | None = None
    domain_type: str | None = None  # "free" or "corporate"
    company: str | None = None


def _registrable_label(domain: str) -> str | None:
    """The label that names the organisation: the one before the public suffix."""
    labels = domain.lower().split(".")
    labels.pop()  # top-level domain
    while labels and labels[-1] in SECOND_LEVEL and len(labels) > 1:
        labels.pop()
    labels = [label for label in labels if label not in SUBDOMAINS]
    return labels[-1] if labels else None


def _title(label: str) -> str:
    words = label.replace("_", "-").split("-")
    return " ".join(w.upper() if len(w) <= ACRONYM_LENGTH else w.capitalize() for w in words)


def domain_facts(email: str | None, company: str | None = None) -> DomainFacts:
    """Domain, its type and the company: the one given, else guessed from a corporate domain."""
    if not email or "@" not in email:
        return DomainFacts(company=company)
    domain = email.rpartition("@")[2].lower()
    if is_free_mail(domain):
        return DomainFacts(domain, "free", company)
    label = _registrable_label(domain)
    return DomainFacts(domain, "corporate", company or (_title(label) if label else None))
