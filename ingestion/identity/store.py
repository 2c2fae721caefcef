"""The matcher's database side: read the clean identities and last run's state, write the
new links, scored pairs and id history in one transaction.

Readers (dbt, the API, the real-time linker) see either the previous run or this one,
never a mix: the three `ml` tables are replaced together, because a lead_id in
`identity_links` and its retired ids in `lead_id_history` are only consistent as a set.
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
import sqlalchemy as sa

from ingestion.identity.decisions import DECISION_COLUMNS
from ingestion.identity.explain import LINK_COLUMNS, PAIR_COLUMNS
from ingestion.identity.lead_ids import HISTORY_COLUMNS
from ingestion.identity.records import matching_features
from ingestion.identity.resolve import Resolution, Settings, resolve

# The hygiene asset's table, with when each identity was first seen and a channel's
# second id (a WhatsApp sender's business-scoped user id) from dbt's identities.
CLEAN_IDENTITIES = sa.text(
    """
    select clean.*, identities.first_seen_at as seen_at, identities.wa_user_id as channel_key
    from ml.clean_identities as clean
    left join intermediate.int_identities as identities
        on clean.source = identities.source and clean.source_id = identities.source_id
    order by clean.source, clean.source_id
    """
)
PREVIOUS_LINKS = sa.text("select record_id, lead_id from ml.identity_links")
HISTORY = sa.text("select retired_lead_id, surviving_lead_id, retired_at from ml.lead_id_history")
DECISIONS = sa.text(
    "select record_a, record_b, decision, decided_at from app.identity_decisions "
    "order by decided_at, decision_id"
)


def _read(connection: sa.Connection, query: sa.TextClause, columns: list[str]) -> pd.DataFrame:
    frame = pd.read_sql(query, connection)
    return frame if len(frame.columns) else pd.DataFrame(columns=columns)


def load_inputs(engine: sa.Engine) -> dict[str, pd.DataFrame]:
    """Matching features of every clean identity, last run's links, history, decisions."""
    with engine.connect() as connection:
        clean = pd.read_sql(CLEAN_IDENTITIES, connection, dtype=object)
        return {
            "records": matching_features(clean),
            "previous": _read(connection, PREVIOUS_LINKS, ["record_id", "lead_id"]),
            "history": _read(connection, HISTORY, [*HISTORY_COLUMNS, "retired_at"]),
            "decisions": _read(connection, DECISIONS, DECISION_COLUMNS),
        }


def _cell(value: Any) -> Any:
    """COPY's view of a value: lists as JSON text, missing values as NULL."""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    if value is None or (isinstance(value, float) and value != value):
        return None
    return value


def _copy(connection: sa.Connection, table: str, frame: pd.DataFrame) -> None:
    """Append `frame` to `ml.<table>` with COPY (inside the caller's transaction)."""
    columns = ", ".join(f'"{column}"' for column in frame.columns)
    cursor = connection.connection.driver_connection.cursor()
    with cursor.copy(f"copy ml.{table} ({columns}) from stdin") as copy:
        for row in frame.itertuples(index=False, name=None):
            copy.write_row([_cell(value) for value in row])


def save(engine: sa.Engine, resolution: Resolution, previous_history: pd.DataFrame) -> None:
    """Replace links, pairs and history together, in one transaction; a retired id keeps
    the time it was first retired."""
    retired_at = previous_history.set_index("retired_lead_id")["retired_at"]
    history = resolution.history[HISTORY_COLUMNS].assign(
        retired_at=lambda h: h["retired_lead_id"].map(retired_at).fillna(pd.Timestamp.now("UTC"))
    )
    tables = {
        "identity_links": resolution.links[LINK_COLUMNS],
        "identity_pairs": resolution.pairs[PAIR_COLUMNS],
        "lead_id_history": history,
    }
    with engine.begin() as connection:
        for table, frame in tables.items():
            connection.execute(sa.text(f"delete from ml.{table}"))
            _copy(connection, table, frame)


def run_identity_resolution(engine: sa.Engine, settings: Settings | None = None) -> Resolution:
    """Resolve every clean identity against last run's ids and the decisions; store it."""
    inputs = load_inputs(engine)
    resolution = resolve(
        inputs["records"], inputs["previous"], inputs["history"], inputs["decisions"], settings
    )
    save(engine, resolution, inputs["history"])
    return resolution
