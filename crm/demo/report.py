"""What the demo prints at the end: rows per mart, a few leads, where to look next.

Reads only `marts` (and counts in `raw` for context), the way an analyst would; a mart
that is missing is reported as such rather than failing the summary.
"""

from __future__ import annotations

import re

import psycopg

from crm.demo.contacts_csv import ContactsExport

MARTS = ("fct_messages", "fct_conversations", "dim_leads", "map_identity")
RAW = ("webhook_deliveries", "channel_events", "commerce_events", "contacts")
COMMERCE = {  # mart -> the column its rows are counted by
    "fct_orders": "status",
    "fct_carts": "status",
    "dim_customers": "segment",
}
TOP_LEADS = """
    select coalesce(l.display_name, min(m.source) || ' id ' || min(m.source_id)) as name,
           coalesce(string_agg(distinct m.source, ', '), '') as channels,
           l.message_count, l.country_code, l.last_seen_at
    from marts.dim_leads l
    left join marts.map_identity m on m.lead_id = l.lead_id
    group by l.lead_id, l.display_name, l.message_count, l.country_code, l.last_seen_at
    order by l.message_count desc nulls last, l.display_name
    limit 8
"""


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


def _by(conn: psycopg.Connection, mart: str, column: str) -> str:
    """`  (paid 20, cancelled 3)`: a mart's rows by one column, or nothing if unreadable."""
    try:
        with conn.transaction():
            rows = conn.execute(
                f"select {column}, count(*) from marts.{mart} group by 1 order by 2 desc, 1"
            ).fetchall()
    except psycopg.Error:
        return ""
    return "  (" + ", ".join(f"{value} {n}" for value, n in rows) + ")" if rows else ""


def print_summary(database_url: str, export: ContactsExport | None = None) -> None:
    """Rows in raw and in each mart, then the busiest leads with their channels."""
    with psycopg.connect(database_url, autocommit=True) as conn:
        print("  raw   " + "   ".join(f"{t} {_count(conn, 'raw.' + t)}" for t in RAW))
        for mart in MARTS:
            print(f"  marts.{mart:<18} {_count(conn, 'marts.' + mart):>8} rows")
        for mart, column in COMMERCE.items():
            by = _by(conn, mart, column)
            print(f"  marts.{mart:<18} {_count(conn, 'marts.' + mart):>8} rows{by}")
        try:
            leads = conn.execute(TOP_LEADS).fetchall()
        except psycopg.Error as error:
            print(f"  (no leads to show yet: {str(error).splitlines()[0]})")
            return
    if leads:
        print("\n  busiest leads:")
        print(f"    {'name':<28} {'channels':<30} {'messages':>8}  country  last seen")
        for name, channels, messages, country, last_seen in leads:
            seen = f"{last_seen:%Y-%m-%d %H:%M}" if last_seen else ""
            print(
                f"    {(name or '?')[:28]:<28} {channels[:30]:<30} {messages or 0:>8}  "
                f"{country or '':<7}  {seen}"
            )
    if export is not None:
        print(f"\n  contacts export kept at {export.path}")


def print_where_next() -> None:
    """The doors into what was built."""
    print(
        "\nWhere to look next:\n"
        "  make dev             Dagster UI  http://localhost:3000  (asset graph, runs, checks)\n"
        "                       API docs    http://localhost:8000/docs\n"
        "  uv run crm db url    the database URL, for psql; analysts query schema `marts`\n"
        "  uv run python bench/ingest.py --start-server   ingest benchmark\n",
        flush=True,
    )
