"""Where the pipeline's hygiene reads its input: dbt's identities with the imports' columns.

`intermediate.int_identities` has one row per source identity and its raw phone, e-mail,
name and country; an import's other contact columns (first/last name, company, address,
date of birth) are still in `staging.stg_crm__contacts`, joined here by external_id.
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

IDENTITIES = sa.text(
    """
    select
        identities.source,
        identities.source_id,
        identities.display_name,
        identities.username,
        contacts.first_name,
        contacts.last_name,
        contacts.full_name,
        identities.phone_raw,
        identities.email as email_raw,
        contacts.company,
        contacts.street,
        contacts.city,
        contacts.postcode,
        contacts.state,
        identities.country_raw,
        contacts.date_of_birth
    from intermediate.int_identities as identities
    left join staging.stg_crm__contacts as contacts
        on identities.source = 'import' and contacts.external_id = identities.source_id
    order by identities.source, identities.source_id
    """
)


def read_identities(engine: sa.Engine) -> pd.DataFrame:
    """Every source identity with its raw attributes (the input of `clean_identities`)."""
    with engine.connect() as connection:
        return pd.read_sql(IDENTITIES, connection, dtype=object)
