"""E-mail rules: canonical keys per provider, typos, free-mail flag, syntax."""

import pandas as pd
import pytest

from ingestion.hygiene.emails import clean_email, clean_emails, email_key, is_free_mail


def test_googlemail_dots_and_tag_fold_to_one_gmail_key():
    result = clean_email(" John.Doe+crm@GoogleMail.com ")
    assert result.email == "john.doe+crm@googlemail.com"
    assert result.email_key == "johndoe@gmail.com"


def test_outlook_family_drops_tags_but_keeps_dots():
    assert email_key("pedro.perez+promo@hotmail.es") == "pedro.perez@hotmail.es"
    assert email_key("a.b+x@outlook.com") == "a.b@outlook.com"


def test_yahoo_uses_dash_subaddresses():
    assert email_key("maria-news@yahoo.com.mx") == "maria@yahoo.com.mx"


def test_corporate_addresses_keep_dots_and_tags():
    assert email_key("a.b+x@acme.com") == "a.b+x@acme.com"


@pytest.mark.parametrize(
    ("raw", "fixed"),
    [("ana@gmial.com", "ana@gmail.com"), ("ana@hotmial.com", "ana@hotmail.com"),
     ("ana@gmail.con", "ana@gmail.com"), ("ana@yahooo.com", "ana@yahoo.com")],
)  # fmt: skip
def test_domain_typos_are_fixed_and_recorded(raw, fixed):
    result = clean_email(raw)
    assert result.email == fixed
    assert any(fix.startswith("email:domain_typo_fixed") for fix in result.fixes)


@pytest.mark.parametrize(
    "domain", ["gmail.com", "hotmail.es", "yahoo.com.mx", "terra.com.br", "uol.com.br",
               "bol.com.br", "proton.me", "icloud.com", "outlook.com.ar"],
)  # fmt: skip
def test_free_mail_providers(domain):
    assert is_free_mail(domain)


@pytest.mark.parametrize("domain", ["acme.com", "empresa.com.pa", "gmail.example.org.uk"])
def test_corporate_domains(domain):
    assert not is_free_mail(domain)


def test_uppercase_and_brackets_are_cleaned():
    result = clean_email("<Bob@Example.COM>")
    assert result.email == "bob@example.com" and "email:lowercased" in result.fixes


@pytest.mark.parametrize("raw", ["not an email", "foo@bar", "a@@b.com", "@gmail.com"])
def test_invalid_syntax_is_reported(raw):
    result = clean_email(raw)
    assert not result.valid and result.issue.startswith("invalid") and result.email_key is None


def test_international_local_part_is_accepted():
    assert clean_email("josé@correo.pa").valid


def test_missing_email():
    assert clean_email(None).issue == "missing"


def test_vectorised_matches_per_record():
    raws = pd.Series(["A@B.com", None, "", "a@b.com", "bad"], index=list("vwxyz"))
    frame = clean_emails(raws)
    assert list(frame.index) == list("vwxyz")
    assert frame["email"].tolist() == ["a@b.com", None, None, "a@b.com", "bad"]
    assert frame["valid"].tolist() == [True, False, False, True, False]
    assert frame.loc["w", "issue"] == "missing"
