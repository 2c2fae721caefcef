"""Hygiene (flow 19) between dbt staging and the marts, and the data-quality checks.

`ml/clean_identities` cleans every source identity dbt's `int_identities` lists (with an
import's own columns from `stg_crm__contacts`) through `ingestion.hygiene.identities`;
dbt reads the table back as a source for `marts.fct_data_quality`, whose figures the
checks below hold to floors that can be changed per run in the launchpad.
"""

import dagster as dg
import sqlalchemy as sa

from crm.settings import get_settings
from ingestion.hygiene.identities import clean_identities as clean
from ingestion.hygiene.identities import quality_figures
from ingestion.hygiene.warehouse import read_identities
from ingestion.ml_tables import replace_table
from orchestration.defs.resources import CrmDatabase

IDENTITIES = dg.AssetKey(["intermediate", "int_identities"])
CONTACTS = dg.AssetKey(["staging", "stg_crm__contacts"])
DATA_QUALITY = dg.AssetKey(["marts", "fct_data_quality"])


@dg.asset(
    key=["ml", "clean_identities"],
    group_name="hygiene",
    kinds={"python", "postgres"},
    deps=[IDENTITIES, CONTACTS],
)
def clean_identities(database: CrmDatabase) -> dg.MaterializeResult:
    """Every source identity cleaned: E.164 phones and keys, e-mail keys, names, addresses."""
    engine = database.engine()
    frame = clean(read_identities(engine), default_region=get_settings().default_region)
    replace_table(engine, "clean_identities", frame)
    figures = quality_figures(frame)
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": figures.rows,
            "phones_given": figures.phones_given,
            "valid_phone_share": figures.valid_phone_share,
            "emails_given": figures.emails_given,
            "valid_email_share": figures.valid_email_share,
            "fixes_by_kind": dg.MetadataValue.json(figures.fixes_by_kind),
        }
    )


def _overall(engine: sa.Engine, column: str) -> float | None:
    """One figure of the `all` row of the data-quality mart (None: nothing to measure)."""
    query = sa.text(f"select {column} from marts.fct_data_quality where source = 'all'")
    with engine.connect() as connection:
        value = connection.execute(query).scalar_one_or_none()
    return None if value is None else float(value)


def _share_check(
    column: str, bound: float, floor: bool, description: str
) -> dg.AssetChecksDefinition:
    """A WARN check that `column` of the overall row is at least (`floor`) or at most `bound`."""

    @dg.asset_check(
        asset=DATA_QUALITY,
        name=f"{column}_{'above_floor' if floor else 'below_ceiling'}",
        description=description,
        config_schema={"bound": dg.Field(float, default_value=bound)},
    )
    def _check(
        context: dg.AssetCheckExecutionContext, database: CrmDatabase
    ) -> dg.AssetCheckResult:
        limit = context.op_execution_context.op_config["bound"]
        value = _overall(database.engine(), column)
        passed = value is None or (value >= limit if floor else value <= limit)
        return dg.AssetCheckResult(
            passed=passed,
            severity=dg.AssetCheckSeverity.WARN,
            metadata={column: -1.0 if value is None else value, "bound": limit},
        )

    return _check


quality_checks = [
    _share_check("valid_phone_share", 0.8, True, "At least 80% of the phones given are valid."),
    _share_check("valid_email_share", 0.8, True, "At least 80% of the e-mails given are valid."),
    _share_check(
        "duplicate_share", 0.5, False, "At most half the identities share a phone or e-mail key."
    ),
]
