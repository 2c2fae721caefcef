"""What the demo prints at the end: rows per mart, a few leads, where to look next.

Reads only `marts` (and counts in `raw` for context), the way an analyst would; a mart
that is missing is reported as such rather than failing the summary.
"""

from __future__ import annotations

import re

import psycopg

from crm.demo.contacts_csv import ContactsExport

MARTS = (
    "fct_messages",
    "map_identity",
    "identity_review_queue",
    "fct_data_quality",
    "fct_daily_metrics",
)
RAW = ("webhook_deliveries", "channel_events", "commerce_events", "contacts", "invoices")
GROUPED = {  # mart -> the column its rows are counted by
    "fct_conversations": "status",
    "fct_cases": "status",
    "dim_leads": "lead_tier",
    "fct_orders": "status",
    "fct_carts": "status",
    "dim_customers": "segment",
    "fct_invoices": "status",
}
OUTBOX = "select purpose || ' ' || kind, count(*) from app.outbox group by 1 order by 2 desc, 1"
TOP_LEADS = """
    select coalesce(l.display_name, min(m.source) || ' id ' || min(m.source_id)) as name,
           coalesce(string_agg(distinct m.source, ', '), '') as channels,
           l.message_count, l.country_code, l.lead_score, l.lead_tier, l.last_seen_at
    from marts.dim_leads l
    left join marts.map_identity m on m.lead_id = l.lead_id
    group by l.lead_id, l.display_name, l.message_count, l.country_code, l.lead_score,
             l.lead_tier, l.last_seen_at
    order by l.lead_score desc nulls last, l.message_count desc nulls last, l.display_name
    limit 8
"""
MODELS = """
    select model_name, coalesce('version ' || model_version, 'prior rules'), score_source,
           count(*)
    from ml.lead_scores where scored_at = (select max(scored_at) from ml.lead_scores)
    group by 1, 2, 3
"""
CONVERSATION = {  # what the worker did, as (label, query returning (value, count) rows)
    "messages by outcome": "select outcome, count(*) from app.processed_events"
    " group by 1 order by 2 desc",
    "top intents": "select intent, count(*) from app.processed_events where intent is not null"
    " group by 1 order by 2 desc limit 5",
    "replies by status": "select status, count(*) from app.outbox group by 1 order by 2 desc",
    "handoffs to a person": "select reason, count(*) from app.handoffs group by 1 order by 2 desc",
}


def redact(url: str) -> str:
    """The URL with any password replaced, fit for printing."""
    return re.sub(r"(://[^:/@]+:)[^@]*@", r"\1***@", url)


def _count(conn: psycopg.Connection, table: str) -> str:
    try:
        with conn.transaction():
            row = conn.execute(f"select count(*) from {table}").fetchone()
        return f"{row[0]:,}" if row else "?"
    except psycopg.Error:
        return "(not built)"


def _rows(conn: psycopg.Connection, query: str) -> list[tuple]:
    """The rows of `query`, or none when what it reads is not there (yet)."""
    try:
        with conn.transaction():
            return conn.execute(query).fetchall()
    except psycopg.Error:
        return []


def _counts(rows: list[tuple]) -> str:
    """`paid 20, cancelled 3` from (value, count) rows."""
    return ", ".join(f"{value} {n:,}" for value, n in rows)


def _by(conn: psycopg.Connection, mart: str, column: str) -> str:
    """`  (paid 20, cancelled 3)`: a mart's rows by one column, or nothing if unreadable."""
    query = f"select {column}, count(*) from marts.{mart} group by 1 order by 2 desc, 1"
    rows = _rows(conn, query)
    return f"  ({_counts(rows)})" if rows else ""


def print_conversations(database_url: str) -> None:
    """What the conversation engine did with the landed messages."""
    with psycopg.connect(database_url, autocommit=True) as conn:
        for label, query in CONVERSATION.items():
            print(f"  {label + ':':<22} {_counts(_rows(conn, query)) or 'none'}")


def flow_summary(path: str, answer: dict) -> str:
    """One line for a flow endpoint's answer: what it sent, skipped or found."""
    if "by_reason" in answer:  # payments/remind
        skipped = sorted((k, n) for k, n in answer["by_reason"].items() if k != "sent")
        return f"{answer['sent']} sent; skipped {_counts(skipped) or 'none'}"
    if "sequences" in answer:  # nurturing/process, carts/recover
        return "; ".join(
            f"{s['sequence']}: {s['enrolled']} enrolled ({s['held_out']} held out),"
            f" {s['sent']} sent, {s['skipped']} skipped"
            for s in answer["sequences"]
        )
    if "series_checked" in answer:  # alerts/check
        return f"{answer['day']}: {answer['series_checked']} series, {answer['new_alerts']} alerts"
    if "posts" in answer:  # content/generate
        return ", ".join(f"{p['channel']} {p['status']} #{p['post_id']}" for p in answer["posts"])
    return path


def print_outbox(database_url: str) -> None:
    """Every message the engine and the flows queued, by purpose and kind (dry run)."""
    with psycopg.connect(database_url, autocommit=True) as conn:
        print(f"  outbox by purpose:     {_counts(_rows(conn, OUTBOX)) or 'empty'}")


def print_summary(database_url: str, export: ContactsExport | None = None) -> None:
    """Rows in raw and in each mart, then the busiest leads with their channels."""
    with psycopg.connect(database_url, autocommit=True) as conn:
        print("  raw   " + "   ".join(f"{t} {_count(conn, 'raw.' + t)}" for t in RAW))
        for mart in MARTS:
            print(f"  marts.{mart:<18} {_count(conn, 'marts.' + mart):>8} rows")
        for mart, column in GROUPED.items():
            by = _by(conn, mart, column)
            print(f"  marts.{mart:<18} {_count(conn, 'marts.' + mart):>8} rows{by}")
        for model, version, source, leads in _rows(conn, MODELS):
            print(f"  ml.lead_scores: {leads:,} leads scored by {model} ({version}, {source})")
        try:
            leads = conn.execute(TOP_LEADS).fetchall()
        except psycopg.Error as error:
            print(f"  (no leads to show yet: {str(error).splitlines()[0]})")
            return
    if leads:
        print("\n  top leads by score:")
        print(f"    {'name':<26} {'channels':<24} {'messages':>8}  country  score  tier  last seen")
        for name, channels, messages, country, score, tier, last_seen in leads:
            seen = f"{last_seen:%Y-%m-%d %H:%M}" if last_seen else ""
            print(
                f"    {(name or '?')[:26]:<26} {channels[:24]:<24} {messages or 0:>8}  "
                f"{country or '':<7}  {score if score is not None else '':>5}  "
                f"{tier or '':<4}  {seen}"
            )
    if export is not None:
        print(f"\n  contacts export kept at {export.path}")


def print_where_next() -> None:
    """The doors into what was built."""
    print(
        "\nWhere to look next:\n"
        "  make dev             Dagster UI  http://localhost:3000  (asset graph, runs, checks)\n"
        "                       API docs    http://localhost:8000/docs\n"
        "  make mlflow          MLflow UI   http://localhost:5000  (runs, registered models)\n"
        "  uv run crm db url    the database URL, for psql; analysts query schema `marts`\n"
        "  .crm/secrets/crm_api_key   the API key for the internal endpoints (X-API-Key)\n"
        "  uv run python bench/ingest.py --start-server   ingest benchmark\n",
        flush=True,
    )
