"""The batch scoring job: every lead's score and close probability into `ml.lead_scores`.

Reads the current features dbt built (`ml_training.ml_scoring__*`), scores them with the
`@champion` models (the lead score falls back to its prior while there is none), and
appends one row per lead under a new `score_run_id` with COPY, so 100,000 leads take
seconds. History is one snapshot per day: a run replaces the day's earlier runs (the
sensor may run the pipeline every few minutes) and runs older than
`ml_score_history_days` go, all in the same transaction.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import orjson
import pandas as pd
import sqlalchemy as sa

from crm.settings import Settings
from ml.close_probability import features as close_features
from ml.close_probability.score import best_per_lead, score_conversations
from ml.lead_score import features as lead_features
from ml.lead_score.score import score_leads
from ml.tabular.data import read_table
from ml.tracking import load_champion

COLUMNS = (
    "score_run_id, lead_id, score, tier, probability, close_probability, score_source, "
    "reasons, model_name, model_version, close_model_version, features_as_of, scored_at"
)


@dataclass(frozen=True)
class ScoringRun:
    """What one scoring run wrote."""

    run_id: str
    scored_at: datetime
    leads: int
    score_source: str
    model_version: str | None
    close_model_version: str | None
    open_conversations: int
    mean_score: float
    tiers: dict[str, int]


def score_all(engine: sa.Engine, settings: Settings) -> ScoringRun:
    """Score every lead dbt knows now; write and prune in one transaction."""
    rows = read_table(engine, lead_features.CURRENT_TABLE)
    run_id, scored_at = uuid.uuid4().hex, datetime.now(UTC)
    if rows.empty:
        return ScoringRun(run_id, scored_at, 0, "none", None, None, 0, 0.0, {})
    scores = score_leads(rows, load_champion(lead_features.MODEL_NAME), settings)
    close = load_champion(close_features.MODEL_NAME)
    open_rows = read_table(engine, close_features.CURRENT_TABLE) if close else pd.DataFrame()
    best = best_per_lead(score_conversations(open_rows, close)) if len(open_rows) else None
    scores["close_probability"] = scores["lead_id"].map(best) if best is not None else None
    scores["close_model_version"] = close[1] if close else None
    scores["features_as_of"] = rows["cutoff_at"].max()
    write_scores(engine, scores, run_id, scored_at, settings.ml_score_history_days)
    return ScoringRun(
        run_id=run_id,
        scored_at=scored_at,
        leads=len(scores),
        score_source=str(scores["score_source"].iat[0]),
        model_version=scores["model_version"].iat[0],
        close_model_version=close[1] if close else None,
        open_conversations=len(open_rows),
        mean_score=float(scores["score"].mean()),
        tiers={str(k): int(v) for k, v in scores["tier"].value_counts().items()},
    )


def write_scores(
    engine: sa.Engine, scores: pd.DataFrame, run_id: str, at: datetime, keep_days: int
) -> None:
    """COPY the run's rows in; drop the day's earlier runs and those past the window."""
    records = scores.assign(score_run_id=run_id, scored_at=at)
    records["reasons"] = [orjson.dumps(r).decode() for r in records["reasons"]]
    ordered = records[[c.strip() for c in COLUMNS.split(",")]]
    ordered = ordered.astype(object).where(ordered.notna(), None)
    raw = engine.raw_connection()
    try:
        with raw.driver_connection.cursor() as cursor:
            with cursor.copy(f"copy ml.lead_scores ({COLUMNS}) from stdin") as copy:
                for record in ordered.itertuples(index=False, name=None):
                    copy.write_row(record)
            cursor.execute(
                "delete from ml.lead_scores where scored_at < %s"
                " or (scored_at >= date_trunc('day', %s::timestamptz) and score_run_id != %s)",
                (at - timedelta(days=keep_days), at, run_id),
            )
        raw.commit()
    finally:
        raw.close()


def recent_runs(engine: sa.Engine, limit: int = 2) -> list[dict]:
    """The newest scoring runs, newest first: run id, when, leads, mean score."""
    query = sa.text(
        "select score_run_id, max(scored_at) as scored_at, count(*) as leads, "
        "avg(score) as mean_score from ml.lead_scores group by score_run_id "
        "order by max(scored_at) desc limit :limit"
    )
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(query, {"limit": limit})]
