"""What a phone number says about its owner: country, region, time zone, line type, carrier.

All from the metadata that ships with `phonenumbers` (geocoder, timezone and carrier
modules) and pytz's country table, so nothing leaves the machine. A number range that
spans zones (Spanish mobiles: Madrid and the Canaries) gets the zone tz lists first for
its country, the most populous one. The carrier is the one the range was allocated to:
a ported number keeps its original carrier, so it is a hint, not a fact.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import phonenumbers as pn
import pytz  # type: ignore[import-untyped]
from phonenumbers import carrier, geocoder, timezone

from ingestion.hygiene.phones import LINE_TYPES

UNKNOWN_ZONE = "Etc/Unknown"


@dataclass(frozen=True)
class PhoneFacts:
    """Facts about one valid number; every field None when the number is not valid."""

    country_code: str | None = None
    region_name: str | None = None
    time_zone: str | None = None
    line_type: str | None = None
    carrier: str | None = None


def _main_zone(zones: tuple[str, ...], country: str | None) -> str | None:
    """One zone for a number: the only one, or the one its country lists first."""
    known = [zone for zone in zones if zone != UNKNOWN_ZONE]
    order = pytz.country_timezones.get(country or "", [])
    known.sort(key=lambda zone: order.index(zone) if zone in order else len(order))
    return known[0] if known else None


@lru_cache(maxsize=100_000)
def phone_facts(e164: str | None, language: str = "es") -> PhoneFacts:
    """Facts for one E.164 number; region names in `language` (Spanish by default)."""
    if not e164:
        return PhoneFacts()
    try:
        number = pn.parse(e164)
    except pn.NumberParseException:
        return PhoneFacts()
    if not pn.is_valid_number(number):
        return PhoneFacts()
    country = pn.region_code_for_number(number)
    return PhoneFacts(
        country_code=country,
        region_name=geocoder.description_for_number(number, language) or None,
        time_zone=_main_zone(timezone.time_zones_for_number(number), country),
        line_type=LINE_TYPES.get(pn.number_type(number)),
        carrier=carrier.name_for_number(number, "en") or None,
    )


def country_time_zone(country_code: str | None) -> str | None:
    """The time zone of a country that has exactly one (PA, CO, CR ...), else None.

    Countries spanning zones (US, MX, BR, ES with the Canaries) give None rather than a
    guess: the phone number, when there is one, says which zone.
    """
    zones = pytz.country_timezones.get((country_code or "").upper(), [])
    return zones[0] if len(zones) == 1 else None
