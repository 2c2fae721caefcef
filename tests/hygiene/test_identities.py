"""Source identities cleaned as a table: the hard cases that make one person look like three."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from ingestion.hygiene.identities import CLEAN_COLUMNS, clean_identities, quality_figures

ROWS = [
    {"source": "whatsapp", "source_id": "50761234567", "display_name": "Sr. Juan Pérez 😊",
     "phone_raw": "50761234567"},
    {"source": "import", "source_id": "C-1", "first_name": "JUAN", "last_name": "pérez garcía",
     "phone_raw": "6123-4567", "country_raw": "Panamá", "email_raw": " Juan.Perez+crm@GMAIL.com",
     "street": "Av. Balboa No. 12", "city": "ciudad de panamá", "postcode": "801",
     "date_of_birth": "31/12/1990"},
    {"source": "whatsapp", "source_id": "5215512345678", "display_name": "Dra. Ana López",
     "phone_raw": "5215512345678"},
    {"source": "import", "source_id": "C-2", "full_name": "Ana López Ruiz",
     "phone_raw": "55 1234 5678", "country_raw": "México",
     "email_raw": "ana.lopez@grupo-alfa.com.mx"},
    {"source": "whatsapp", "source_id": "551187654321", "display_name": "José Silva",
     "phone_raw": "551187654321"},
    {"source": "import", "source_id": "C-3", "full_name": "José Silva", "country_raw": "Brasil",
     "phone_raw": "(11) 98765-4321", "email_raw": "jose..silva@@uol.com.br"},
    {"source": "instagram", "source_id": "IG-1", "display_name": "juan.perez_92",
     "username": "juan.perez_92"},
    {"source": "import", "source_id": "C-4", "full_name": "Pedro", "phone_raw": "n/a",
     "country_raw": "Narnia"},
]  # fmt: skip


@pytest.fixture(scope="module")
def clean() -> pd.DataFrame:
    frame = clean_identities(pd.DataFrame(ROWS), default_region="PA", today=date(2026, 1, 1))
    return frame.set_index(["source", "source_id"], drop=False)


def test_one_row_per_identity_with_the_table_columns(clean: pd.DataFrame) -> None:
    assert len(clean) == len(ROWS)
    assert tuple(clean.columns) == CLEAN_COLUMNS


def test_panama_wa_id_and_local_csv_number_share_a_phone_key(clean: pd.DataFrame) -> None:
    whatsapp, imported = clean.loc[("whatsapp", "50761234567")], clean.loc[("import", "C-1")]
    assert whatsapp["phone_e164"] == imported["phone_e164"] == "+50761234567"
    assert whatsapp["phone_key"] == imported["phone_key"]
    assert (imported["phone_region"], imported["country_code"]) == ("PA", "PA")
    assert imported["phone_line_type"] == "mobile"


def test_mexican_521_wa_id_matches_the_10_digit_number(clean: pd.DataFrame) -> None:
    whatsapp, imported = clean.loc[("whatsapp", "5215512345678")], clean.loc[("import", "C-2")]
    assert whatsapp["phone_e164"] == imported["phone_e164"] == "+525512345678"
    assert "phone:mx_mobile_1_removed" in whatsapp["fixes"]


def test_brazilian_wa_id_without_the_ninth_digit_matches(clean: pd.DataFrame) -> None:
    whatsapp, imported = clean.loc[("whatsapp", "551187654321")], clean.loc[("import", "C-3")]
    assert whatsapp["phone_e164"] == imported["phone_e164"] == "+5511987654321"
    assert whatsapp["phone_key"] == imported["phone_key"] == "551187654321"
    assert "phone:br_ninth_digit_added" in whatsapp["fixes"]


def test_gmail_key_drops_dots_and_tags_corporate_keeps_them(clean: pd.DataFrame) -> None:
    gmail, corporate = clean.loc[("import", "C-1")], clean.loc[("import", "C-2")]
    assert gmail["email"] == "juan.perez+crm@gmail.com"
    assert (gmail["email_key"], gmail["email_domain_type"]) == ("juanperez@gmail.com", "free")
    assert corporate["email_key"] == "ana.lopez@grupo-alfa.com.mx"
    assert corporate["email_domain"] == "grupo-alfa.com.mx"
    assert corporate["email_domain_type"] == "corporate"


def test_spanish_double_surname_keeps_both_and_matches_on_folded_form(
    clean: pd.DataFrame,
) -> None:
    imported = clean.loc[("import", "C-1")]
    assert imported["display_name"] == "Juan Pérez García"
    assert imported["last_names"] == ["Pérez", "García"]
    assert imported["name_match"] == "juan perez garcia"


def test_emoji_and_honorifics_leave_the_name(clean: pd.DataFrame) -> None:
    juan, ana = clean.loc[("whatsapp", "50761234567")], clean.loc[("whatsapp", "5215512345678")]
    assert (juan["display_name"], juan["name_match"]) == ("Juan Pérez", "juan perez")
    assert (ana["first_name"], ana["last_name"]) == ("Ana", "López")
    assert {"name:emoji_removed", "name:honorific_removed"} <= set(juan["fixes"])


def test_a_username_is_shown_but_never_matched_on(clean: pd.DataFrame) -> None:
    handle = clean.loc[("instagram", "IG-1")]
    assert handle["display_name"] == "juan.perez_92"
    assert handle["name_match"] is None
    assert {"field": "name", "problem": "missing"} in handle["issues"]


def test_address_and_date_of_birth_are_normalised(clean: pd.DataFrame) -> None:
    imported = clean.loc[("import", "C-1")]
    assert (imported["street_key"], imported["city_key"]) == ("avenida balboa # 12", "panama")
    assert (imported["postcode"], imported["date_of_birth"]) == ("0801", "1990-12-31")


def test_problems_are_listed_per_field(clean: pd.DataFrame) -> None:
    junk, bad_email = clean.loc[("import", "C-4")], clean.loc[("import", "C-3")]
    assert junk["issues"][:2] == [
        {"field": "country", "problem": "unknown_country"},
        {"field": "phone", "problem": "not_a_phone"},
    ]
    assert not junk["phone_valid"] and junk["phone_e164"] is None
    assert [issue["field"] for issue in bad_email["issues"]] == ["email"]
    assert bad_email["email"] is None and not bad_email["email_valid"]


def test_figures_count_valid_shares_over_the_values_given(clean: pd.DataFrame) -> None:
    figures = quality_figures(clean)
    assert (figures.rows, figures.phones_given, figures.emails_given) == (8, 7, 3)
    assert figures.valid_phone_share == round(6 / 7, 4)
    assert figures.valid_email_share == round(2 / 3, 4)
    assert figures.fixes_by_kind["phone:formatted_e164"] >= 2


def test_an_empty_input_gives_an_empty_table() -> None:
    out = clean_identities(pd.DataFrame(columns=["source", "source_id"]))
    assert out.empty and tuple(out.columns) == CLEAN_COLUMNS
