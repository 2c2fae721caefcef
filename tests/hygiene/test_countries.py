"""Country names and codes to ISO alpha-2."""

import pandas as pd
import pytest

from ingestion.hygiene.countries import country_code, country_codes


@pytest.mark.parametrize(
    ("raw", "code"),
    [("Panamá", "PA"), ("panama", "PA"), ("PA", "PA"), ("PAN", "PA"), ("México", "MX"),
     ("mexico", "MX"), ("Brasil", "BR"), ("España", "ES"), ("EE.UU.", "US"), ("USA", "US"),
     ("U.S.A.", "US"), ("Estados Unidos", "US"), ("Deutschland", "DE"), ("Reino Unido", "GB"),
     ("Perú", "PE"), ("  colombia ", "CO"), ("República Dominicana", "DO")],
)  # fmt: skip
def test_names_and_codes_resolve(raw, code):
    assert country_code(raw) == code


@pytest.mark.parametrize("raw", [None, "", "Atlantis", "XX", "n/a"])
def test_unknown_or_missing_is_none(raw):
    assert country_code(raw) is None


def test_vectorised_keeps_order_and_missing():
    assert country_codes(pd.Series(["Panamá", None, "USA"])).tolist() == ["PA", None, "US"]
