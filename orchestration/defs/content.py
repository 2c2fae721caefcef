"""Content publishing in Dagster: a job that publishes the scheduled posts now due.

A thin wrapper over `crm.content.publishing.publish_due`; the `content_publishing`
schedule runs it every 15 minutes. A post is published once however often (or
concurrently) the job runs: each post is locked while published and skipped once it is.
"""

from collections import Counter
from datetime import UTC, datetime

import dagster as dg
import httpx
import psycopg

from crm.content.graph import ContentPublisher
from crm.content.publishing import publish_due
from crm.database import database_url
from crm.settings import get_settings
from orchestration.defs.resources import CrmDatabase

GRAPH_TIMEOUT = httpx.Timeout(20.0, connect=5.0)


@dg.op(description="Publish the scheduled social posts whose time has come.")
def publish_due_posts(context: dg.OpExecutionContext, database: CrmDatabase) -> int:
    """Publish due posts through the Graph API (dry run without a token); count them."""
    database.migrate()
    with (
        psycopg.connect(database_url(), autocommit=True) as conn,
        httpx.Client(timeout=GRAPH_TIMEOUT) as http,
    ):
        posts = publish_due(conn, ContentPublisher(get_settings(), http), datetime.now(UTC))
    outcomes = Counter("dry_run" if post["dry_run"] else post["status"] for post in posts)
    context.add_output_metadata(
        {
            "due": len(posts),
            **{status: outcomes[status] for status in ("published", "dry_run", "failed")},
        }
    )
    return len(posts)


@dg.job(description="Publish the scheduled Instagram / Facebook posts now due.")
def content_publishing() -> None:
    publish_due_posts()
