"""The dbt training sets are point-in-time correct: no feature sees past its cut-off.

A seeded demo world is landed in `raw` and built once for the module. The strongest check
deletes everything that happened after a moment T, rebuilds, and requires every feature
at the cut-offs before T to be unchanged: a feature that peeked past its cut-off would
change when the future disappears.
"""

from __future__ import annotations

from datetime import timedelta

import psycopg
from lead_world import NOW, built_world, rows, run_dbt

from ml.close_probability.features import SPEC as DEAL_SPEC
from ml.lead_score.features import SPEC as LEAD_SPEC

MODELS = "+ml_training__lead_conversion +ml_training__deal_close +ml_scoring__lead_features"
T = NOW - timedelta(days=9)


def snapshot(url: str, table: str, keys: str, columns: tuple[str, ...]) -> dict:
    """{key tuple: feature tuple} for the cut-offs whose label window ends by T."""
    found = rows(
        url,
        f"select {keys}, {', '.join(columns)} from ml_training.{table} "
        f"where cutoff_at <= '{T.isoformat()}'::timestamptz - interval '7 days'",
    )
    width = len(keys.split(","))
    return {row[:width]: tuple(map(_rounded, row[width:])) for row in found}


def _rounded(value: object) -> object:
    """Averages may differ in the last bits with the order Postgres sums them in."""
    return round(value, 6) if isinstance(value, float) else value


# the world landed and the ML training sets (and their upstream) built and tested
built = built_world(MODELS)


def lead_rows_where(url: str, condition: str) -> int:
    """How many rows of the lead-conversion training set (as `t`) meet `condition`."""
    query = f"select count(*) from ml_training.ml_training__lead_conversion as t where {condition}"
    return rows(url, query)[0][0]


def test_message_and_order_counts_equal_those_up_to_the_cutoff(built):
    url, _ = built
    mismatches = lead_rows_where(
        url,
        """
        t.inbound_messages != (
                select count(*) from marts.fct_messages as m
                where m.lead_id = t.lead_id and m.direction = 'inbound'
                    and m.sent_at <= t.cutoff_at)
            or t.orders_before != (
                select count(*) from marts.fct_orders as o
                where o.lead_id = t.lead_id and o.created_at <= t.cutoff_at)
            or t.days_since_last_inbound < 0
        """,
    )
    total = rows(
        url, "select count(*), sum(converted) from ml_training.ml_training__lead_conversion"
    )
    assert total[0][0] > 500 and total[0][1] > 0  # a real training set, with outcomes
    assert mismatches == 0


def test_a_lead_has_no_row_at_cutoffs_before_its_first_event(built):
    url, _ = built
    early = lead_rows_where(
        url,
        """
        t.cutoff_at < (
            select min(m.sent_at) from marts.fct_messages as m where m.lead_id = t.lead_id)
          and not exists (
            select 1 from marts.fct_orders as o
            where o.lead_id = t.lead_id and o.created_at <= t.cutoff_at)
        """,
    )
    assert early == 0


def test_labels_come_only_from_orders_after_the_cutoff(built):
    url, _ = built
    wrong = lead_rows_where(
        url,
        """
        t.converted != case when exists (
            select 1 from marts.fct_orders as o
            where o.lead_id = t.lead_id and o.status != 'cancelled'
              and o.created_at > t.cutoff_at
              and o.created_at <= t.cutoff_at + interval '7 days') then 1 else 0 end
        """,
    )
    assert wrong == 0


def test_features_are_unchanged_when_everything_after_the_cutoffs_is_deleted(built):
    url, tmp = built
    lead = ("ml_training__lead_conversion", "lead_id, cutoff_at", (*LEAD_SPEC.columns, "converted"))
    deal = ("ml_training__deal_close", "conversation_id, cutoff_at", (*DEAL_SPEC.columns, "closed"))
    before = [snapshot(url, *table) for table in (lead, deal)]
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("delete from raw.channel_events where occurred_at > %s", (T,))
        conn.execute("delete from raw.commerce_events where occurred_at > %s", (T,))
    rebuilt = run_dbt(url, tmp, "run", "--select", MODELS)
    assert rebuilt.returncode == 0, rebuilt.stdout[-3000:]
    after = [snapshot(url, *table) for table in (lead, deal)]
    assert len(after[0]) > 100 and len(after[1]) > 10  # the comparison covers real rows
    for old, new in zip(before, after, strict=True):
        assert new == {key: old[key] for key in new}
