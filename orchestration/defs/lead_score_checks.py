"""Run-time quality of the lead score and close probability, as asset checks.

- each model's champion meets its quality floors (what `register` enforced at promotion,
  re-read from the registry so a lowered floor or a hand-moved alias shows up);
- the newest scoring run's mean score moved at most `ml_score_max_drift` points from the
  run before (WARN: a drift is worth a look, not a stop);
- the newest run scored at least `ml_min_scored_share` of the resolved leads.
"""

from collections.abc import Callable

import dagster as dg
import sqlalchemy as sa

from crm.settings import Settings, get_settings
from ml.close_probability.train import task as close_task
from ml.lead_score.train import task as lead_task
from ml.scoring import recent_runs
from ml.store import connect
from ml.tabular.evaluate import HIGHER_IS_BETTER
from ml.tabular.training import ModelTask
from orchestration.defs.lead_scores import (
    LEADS,
    close_probability_model,
    lead_score_model,
    lead_scores,
)
from orchestration.defs.resources import CrmDatabase


def _champion_metrics(model_name: str) -> tuple[str, dict[str, float]] | None:
    """The champion's version and the holdout metrics its training run logged."""
    client = connect()
    try:
        version = client.get_model_version_by_alias(model_name, "champion")
    except Exception:  # no model or no alias yet
        return None
    return version.version, dict(client.get_run(version.run_id).data.metrics)


def _floor_check(
    asset: dg.AssetsDefinition, task_for: Callable[[Settings], ModelTask]
) -> dg.AssetChecksDefinition:
    """The champion meets its floors (no champion: the prior serves, which passes)."""

    @dg.asset_check(asset=asset, name="champion_meets_floors", description=_floor_check.__doc__)
    def _check() -> dg.AssetCheckResult:
        task = task_for(get_settings())
        found = _champion_metrics(task.model_name)
        if found is None:
            return dg.AssetCheckResult(passed=True, metadata={"serving": "no champion"})
        version, logged = found
        misses = [
            name
            for name, floor in task.floors.items()
            if name not in logged
            or (logged[name] < floor if HIGHER_IS_BETTER.get(name, True) else logged[name] > floor)
        ]
        return dg.AssetCheckResult(
            passed=not misses,
            severity=dg.AssetCheckSeverity.WARN,
            metadata={
                "serving": f"v{version}",
                "misses": ", ".join(misses) or "none",
                **{f"floor_{k}": v for k, v in task.floors.items()},
                **{k: logged[k] for k in task.floors if k in logged},
            },
        )

    return _check


@dg.asset_check(asset=lead_scores, description="Mean score moved little since the last run.")
def score_drift(database: CrmDatabase) -> dg.AssetCheckResult:
    """|mean score of this run - the previous run's| within `ml_score_max_drift` points."""
    runs = recent_runs(database.engine(), limit=2)
    limit = get_settings().ml_score_max_drift
    if len(runs) < 2:
        return dg.AssetCheckResult(passed=True, metadata={"runs": len(runs), "limit": limit})
    drift = abs(float(runs[0]["mean_score"]) - float(runs[1]["mean_score"]))
    return dg.AssetCheckResult(
        passed=drift <= limit,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={"drift": drift, "limit": limit, "mean_score": float(runs[0]["mean_score"])},
    )


@dg.asset_check(
    asset=lead_scores,
    additional_deps=[LEADS],
    description="The newest run scored (nearly) every resolved lead.",
)
def share_scored(database: CrmDatabase) -> dg.AssetCheckResult:
    """Leads in the newest run / distinct leads of int_leads_resolved, at least the floor."""
    engine = database.engine()
    runs = recent_runs(engine, limit=1)
    with engine.connect() as conn:
        leads = conn.execute(
            sa.text("select count(distinct lead_id) from intermediate.int_leads_resolved")
        ).scalar_one()
    scored = int(runs[0]["leads"]) if runs else 0
    share = scored / leads if leads else 1.0
    floor = get_settings().ml_min_scored_share
    return dg.AssetCheckResult(
        passed=share >= floor, metadata={"share": share, "scored": scored, "leads": leads}
    )


lead_score_checks = [
    _floor_check(lead_score_model, lead_task),
    _floor_check(close_probability_model, close_task),
    score_drift,
    share_scored,
]
