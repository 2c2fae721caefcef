"""Company and domain type from an e-mail address."""

from ingestion.enrichment.company import domain_facts


def test_corporate_domain_names_the_company() -> None:
    facts = domain_facts("ana.lopez@grupo-alfa.com.mx")
    assert (facts.domain, facts.domain_type, facts.company) == (
        "grupo-alfa.com.mx",
        "corporate",
        "Grupo Alfa",
    )


def test_mail_subdomain_and_short_names_read_as_acronyms() -> None:
    assert domain_facts("x@mail.bac.com.pa").company == "BAC"


def test_free_mail_names_no_company() -> None:
    facts = domain_facts("juan@hotmail.com.mx")
    assert (facts.domain_type, facts.company) == ("free", None)


def test_a_given_company_wins_over_the_domain() -> None:
    assert domain_facts("ana@grupo-alfa.com.mx", company="Alfa S.A.B.").company == "Alfa S.A.B."


def test_no_email_keeps_only_the_given_company() -> None:
    assert domain_facts(None, "Acme") == domain_facts("not-an-address", "Acme")
    assert domain_facts(None, "Acme").domain is None
