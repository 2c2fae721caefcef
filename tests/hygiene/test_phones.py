"""Phone rules on the numbers that create duplicates in real CRMs."""

import pandas as pd
import pytest

from ingestion.hygiene.phones import clean_phone, clean_phones, phone_key


def test_panamanian_mobile_in_national_format_gets_e164():
    result = clean_phone("6123-4567", "PA")
    assert (result.e164, result.valid, result.line_type) == ("+50761234567", True, "mobile")


def test_international_format_with_spaces():
    assert clean_phone("+507 6123 4567", "MX").e164 == "+50761234567"


def test_whatsapp_wa_id_without_plus_in_its_own_region():
    assert clean_phone("50761234567", "PA").e164 == "+50761234567"


def test_whatsapp_wa_id_from_another_country_than_the_default_region():
    result = clean_phone("5215512345678", "PA")
    assert result.e164 == "+525512345678"
    assert "phone:international_without_plus" in result.fixes


def test_national_and_wa_id_forms_share_one_key():
    keys = {
        clean_phone(raw, "PA").phone_key for raw in ("6123-4567", "50761234567", "+507 6123 4567")
    }
    assert keys == {"50761234567"}


def test_mexican_521_and_52_mobile_share_a_key_and_the_valid_form_wins():
    old, new = clean_phone("52 1 55 1234 5678", "MX"), clean_phone("52 55 1234 5678", "MX")
    assert old.phone_key == new.phone_key == "525512345678"
    assert old.e164 == "+525512345678" and old.valid
    assert "phone:mx_mobile_1_removed" in old.fixes


def test_brazilian_mobile_with_and_without_ninth_digit_share_a_key():
    with_nine, without = clean_phone("(11) 91234-5678", "BR"), clean_phone("11 1234-5678", "BR")
    assert with_nine.phone_key == without.phone_key == "551112345678"
    assert without.e164 == with_nine.e164 == "+5511912345678"
    assert "phone:br_ninth_digit_added" in without.fixes


def test_phone_key_folds_only_mexico_and_brazil_mobiles():
    assert phone_key("+5215512345678") == "525512345678"
    assert phone_key("+5511912345678") == "551112345678"
    assert phone_key("+12125550100") == "12125550100"
    assert phone_key(None) is None


@pytest.mark.parametrize("raw", ["212-555-0100 ext. 12", "212-555-0100 x12", "(212) 555-0100 #12"])
def test_extension_is_separated(raw):
    result = clean_phone(raw, "US")
    assert (result.e164, result.extension) == ("+12125550100", "12")
    assert "phone:extension_separated" in result.fixes


@pytest.mark.parametrize(
    ("raw", "issue"),
    [("n/a", "not_a_phone"), ("sin teléfono", "not_a_phone"), ("000000", "placeholder"),
     ("1111111111", "placeholder"), ("123", "too_short")],
)  # fmt: skip
def test_junk_is_removed_with_a_reason(raw, issue):
    result = clean_phone(raw, "PA")
    assert (result.e164, result.issue) == (None, issue)
    assert "phone:junk_removed" in result.fixes


def test_missing_values_are_reported_as_missing():
    assert (
        clean_phone(None).issue
        == clean_phone("  ").issue
        == clean_phone(float("nan")).issue
        == "missing"
    )


def test_number_read_as_float_from_a_spreadsheet():
    assert clean_phone(61234567.0, "PA").e164 == "+50761234567"


def test_invalid_number_keeps_its_e164_but_is_flagged():
    result = clean_phone("+507 1234", "PA")
    assert (result.valid, result.issue) == (False, "invalid_number")


def test_idd_prefix_00_is_understood():
    assert clean_phone("00507 6123 4567", "PA").e164 == "+50761234567"


def test_us_number_with_us_region():
    assert clean_phone("(212) 555-0100", "US").e164 == "+12125550100"


def test_vectorised_matches_per_record_and_keeps_the_index():
    raws = pd.Series(
        ["6123-4567", None, "n/a", "52 1 55 1234 5678", "6123-4567"], index=[5, 6, 7, 8, 9]
    )
    regions = pd.Series(["PA", "PA", None, "MX", "PA"], index=raws.index)
    frame = clean_phones(raws, regions)
    assert list(frame.index) == [5, 6, 7, 8, 9]
    assert list(frame.columns) == [
        "e164",
        "phone_key",
        "valid",
        "line_type",
        "extension",
        "fixes",
        "issue",
    ]
    for i, raw in raws.items():
        one = clean_phone(raw, regions[i] or "ZZ")
        assert frame.loc[i, "e164"] == one.e164 and frame.loc[i, "issue"] == one.issue
    assert frame["valid"].tolist() == [True, False, False, True, True]


def test_vectorised_accepts_one_region_for_all_rows():
    frame = clean_phones(pd.Series(["6123-4567", "+52 55 1234 5678"]), "PA")
    assert frame["e164"].tolist() == ["+50761234567", "+525512345678"]
