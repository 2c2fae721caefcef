"""Date-of-birth parsing: formats, order, impossible values."""

from datetime import date

import pandas as pd
import pytest

from ingestion.hygiene.dates import parse_dob, parse_dobs

TODAY = date(2025, 6, 1)


@pytest.mark.parametrize(
    "raw",
    ["31/12/1990", "1990-12-31", "12/31/1990", "31 dic 1990", "31 de diciembre de 1990",
     "Dec 31, 1990", "31.12.1990", "19901231", "1990-12-31 00:00:00", 33238, "33238"],
)  # fmt: skip
def test_common_formats_to_iso(raw):
    assert parse_dob(raw, None, TODAY).date_of_birth == "1990-12-31"


def test_ambiguous_day_month_is_day_first_outside_the_us():
    assert parse_dob("12/11/1990", "PA", TODAY).date_of_birth == "1990-11-12"


def test_ambiguous_day_month_is_month_first_in_the_us():
    assert parse_dob("12/11/1990", "US", TODAY).date_of_birth == "1990-12-11"


def test_excel_serial_is_recorded_as_a_fix():
    assert "dob:excel_serial" in parse_dob("33238", None, TODAY).fixes


def test_two_digit_year_never_lands_in_the_future():
    assert parse_dob("31.12.90", None, TODAY).date_of_birth == "1990-12-31"
    assert parse_dob("5/3/05", None, TODAY).date_of_birth == "2005-03-05"


def test_impossible_date_is_flagged_not_guessed():
    result = parse_dob("31/02/1990", None, TODAY)
    assert (result.date_of_birth, result.issue) == (None, "impossible_date")


def test_future_date_is_flagged():
    assert parse_dob("01/01/2030", None, TODAY).issue == "future_date"


def test_age_over_120_is_flagged():
    assert parse_dob("01/01/1890", None, TODAY).issue == "age_over_120"


def test_unparseable_text():
    assert parse_dob("cuando era niño", None, TODAY).issue == "unparseable_date"


def test_datetime_objects_are_accepted():
    assert parse_dob(date(1990, 12, 31), None, TODAY).date_of_birth == "1990-12-31"


def test_vectorised_uses_each_rows_country():
    frame = parse_dobs(
        pd.Series(["12/11/1990", "12/11/1990", None]), pd.Series(["US", "PA", None]), TODAY
    )
    assert frame["date_of_birth"].tolist() == ["1990-12-11", "1990-11-12", None]
    assert frame["issue"].tolist() == [None, None, "missing"]
