"""Country, region, time zone, line type and carrier read off a phone number, offline."""

from ingestion.enrichment.phone import country_time_zone, phone_facts


def test_panama_mobile() -> None:
    facts = phone_facts("+50761234567")
    assert (facts.country_code, facts.time_zone, facts.line_type) == (
        "PA",
        "America/Panama",
        "mobile",
    )


def test_brazilian_number_gives_its_city_in_spanish() -> None:
    facts = phone_facts("+5511987654321")
    assert (facts.region_name, facts.time_zone) == ("São Paulo", "America/Sao_Paulo")


def test_a_range_spanning_zones_takes_the_countrys_main_one() -> None:
    # Spanish mobiles are listed for both the Canaries and Madrid
    assert phone_facts("+34612345678").time_zone == "Europe/Madrid"


def test_invalid_or_missing_numbers_say_nothing() -> None:
    assert phone_facts("+5215512345678").country_code is None  # unrepaired 521 form
    assert phone_facts(None).time_zone is None
    assert phone_facts("not a phone").time_zone is None


def test_country_zone_only_when_the_country_has_one() -> None:
    assert country_time_zone("CO") == "America/Bogota"
    assert country_time_zone("US") is None
    assert country_time_zone(None) is None
