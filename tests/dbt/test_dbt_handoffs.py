"""`marts.fct_cases` carries what agents record when they end a handoff."""

from __future__ import annotations

import psycopg
from dbt_runner import run_dbt

CONVERSATION = """
insert into app.conversations (channel, person_id, lead_id, bot_paused)
values ('whatsapp', '50760000071', 'lead-71', false) returning conversation_id
"""


def test_fct_cases_counts_resolved_handoffs_and_when(db, tmp_path):
    with psycopg.connect(db, autocommit=True) as conn:
        conversation = conn.execute(CONVERSATION).fetchone()[0]
        conn.execute(
            "insert into app.cases (conversation_id, lead_id, topic) values (%s, 'lead-71',"
            " 'complaint')",
            (conversation,),
        )
        conn.execute(
            "insert into app.handoffs (conversation_id, lead_id, reason, summary, source,"
            " status, resolved_at, resolution, resolved_by) values"
            " (%(c)s, 'lead-71', 'angry', 's', 'auto', 'resolved', '2026-11-20T10:00:00Z',"
            "  'refunded', 'Ana'),"
            " (%(c)s, 'lead-71', 'again', 's', 'api', 'resolved', '2026-11-21T10:00:00Z',"
            "  'called back', 'Luis')",
            {"c": conversation},
        )
    done = run_dbt(
        db, tmp_path, "build", "--select", "+fct_cases", "--indirect-selection", "cautious"
    )
    assert done.returncode == 0, done.stdout[-4000:]
    with psycopg.connect(db) as conn:
        row = conn.execute(
            "select handoff_count, resolved_handoff_count, last_handoff_resolved_at::text,"
            " was_escalated, with_human_now from marts.fct_cases"
        ).fetchone()
    assert row == (2, 2, "2026-11-21 10:00:00+00", True, False)
