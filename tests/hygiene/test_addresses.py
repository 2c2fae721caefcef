"""Street, city and postcode rules."""

import pytest

from ingestion.hygiene.addresses import city_key, clean_postcode, clean_street, street_key


@pytest.mark.parametrize("street", ["Av. Balboa No. 12", "avenida balboa #12", "AVDA BALBOA Nº 12"])
def test_avenida_abbreviations_and_number_signs_compare_equal(street):
    assert street_key(street) == "avenida balboa # 12"


def test_spanish_c_slash_is_calle():
    assert street_key("C/ Mayor, 5") == street_key("Calle Mayor 5") == "calle mayor 5"


def test_colombian_carrera():
    assert street_key("Cra. 7 # 12-34") == street_key("Carrera 7 No 12-34")


def test_street_display_is_only_tidied():
    assert clean_street("  AVENIDA   BALBOA  ") == "Avenida Balboa"


def test_city_aliases():
    assert city_key("CDMX") == city_key("Ciudad de México") == "ciudad de mexico"
    assert city_key("Panama City") == city_key("Panamá") == "panama"


@pytest.mark.parametrize(
    ("raw", "country", "expected"),
    [("sw1a1aa", "GB", "SW1A 1AA"), ("k1a0b1", "CA", "K1A 0B1"), ("75 008", "FR", "75008"),
     ("1234 ab", "NL", "1234AB"), ("021341234", "US", "02134-1234"),
     ("01310100", "BR", "01310-100"), (" 0801 ", "PA", "0801")],
)  # fmt: skip
def test_postcodes_in_canonical_form(raw, country, expected):
    assert clean_postcode(raw, country).postcode == expected


def test_leading_zero_lost_by_a_spreadsheet_is_restored():
    result = clean_postcode(8001, "ES")
    assert result.postcode == "08001" and "postcode:leading_zero_restored" in result.fixes


def test_invalid_postcode_for_its_country_is_flagged():
    assert clean_postcode("ABC", "MX").issue == "invalid_postcode"


def test_unknown_country_postcode_is_uppercased_without_spaces():
    result = clean_postcode("ab 12", None)
    assert (result.postcode, result.issue) == ("AB12", None)
