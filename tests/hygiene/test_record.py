"""One contact record through every rule."""

from datetime import date

from ingestion.hygiene.record import clean_record

RAW = {
    "external_id": "c1",
    "full_name": "Sra. maría JOSÉ de la cruz 😊",
    "email": " John.Doe+crm@GoogleMail.com",
    "phone": "6123-4567 ext. 12",
    "country": "Panamá",
    "street": "Av. Balboa No. 12",
    "postcode": "801",
    "date_of_birth": "31 dic 1990",
    "vip": "yes",
}


def test_clean_record_fields():
    record = clean_record(RAW, today=date(2025, 6, 1)).record
    assert record["phone_e164"] == "+50761234567" and record["phone_extension"] == "12"
    assert record["email_key"] == "johndoe@gmail.com"
    assert record["display_name"] == "María José de la Cruz"
    assert (record["country_code"], record["postcode"], record["date_of_birth"]) == (
        "PA",
        "0801",
        "1990-12-31",
    )


def test_extra_columns_are_kept_as_attributes():
    assert clean_record(RAW).record["attributes"] == {"vip": "yes"}


def test_fixes_are_listed():
    fixes = clean_record(RAW).fixes
    assert {
        "name:honorific_removed",
        "phone:extension_separated",
        "postcode:leading_zero_restored",
    } <= set(fixes)


def test_country_in_another_language_picks_the_phone_region():
    record = clean_record(
        {"phone": "55 1234 5678", "country": "México"}, default_region="PA"
    ).record
    assert record["phone_e164"] == "+525512345678"


def test_default_region_is_used_without_country():
    assert (
        clean_record({"phone": "6123-4567"}, default_region="PA").record["phone_e164"]
        == "+50761234567"
    )


def test_issues_name_the_field():
    result = clean_record(
        {"phone": "n/a", "email": "foo@bar", "date_of_birth": "31/02/1990", "country": "Atlantis"}
    )
    fields = {issue["field"] for issue in result.issues}
    assert {"phone", "email", "date_of_birth", "country", "name", "record"} <= fields


def test_us_record_reads_dates_month_first():
    assert (
        clean_record({"date_of_birth": "12/11/1990", "country": "USA"}).record["date_of_birth"]
        == "1990-12-11"
    )
