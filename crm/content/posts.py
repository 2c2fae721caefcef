"""Generated posts as stored drafts, and scheduling them.

`generate_posts` writes one draft per channel into `app.content_posts` under an
idempotency key (the caller's, or a hash of everything the text depends on), so the same
request twice stores, and pays an LLM for, one post per channel. `schedule_post` sets the
time to publish: the one given, or the best hour `timing.best_slot` finds.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from datetime import datetime

import psycopg
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb

from crm.content.captions import Campaign, llm_draft, template_draft
from crm.content.products import find_product
from crm.content.timing import best_slot
from crm.conversation.llm import LLMChain

INSERT_SQL = """
insert into app.content_posts (idempotency_key, channel, campaign, goal, language, tone,
    product, caption, hashtags, call_to_action, image_url, link, generator)
values (%(key)s, %(channel)s, %(campaign)s, %(goal)s, %(language)s, %(tone)s, %(product)s,
    %(caption)s, %(hashtags)s, %(call_to_action)s, %(image_url)s, %(link)s, %(generator)s)
on conflict (idempotency_key) do nothing
returning *
"""


class ProductNotFound(LookupError):
    """The campaign names a product the knowledge base does not have (or has none)."""


def idempotency_key(campaign: Campaign, channel: str, image_url: str | None, link: str | None):
    """A stable hash of what a post's text and target depend on."""
    parts = {**asdict(campaign), "channel": channel, "image_url": image_url, "link": link}
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def _existing(conn: psycopg.Connection, key: str) -> dict | None:
    return (
        conn.cursor(row_factory=dict_row)
        .execute("select * from app.content_posts where idempotency_key = %s", (key,))
        .fetchone()
    )


def generate_posts(
    conn: psycopg.Connection,
    campaign: Campaign,
    channels: list[str],
    image_url: str | None = None,
    link: str | None = None,
    key: str | None = None,
    chain: LLMChain | None = None,
) -> list[tuple[dict, bool]]:
    """One draft per channel: (row, created now). Raises ProductNotFound."""
    product = find_product(conn, campaign.language, campaign.product)
    if product is None:
        raise ProductNotFound(campaign.product or "no products in the knowledge base")
    posts = []
    for channel in channels:
        post_key = (
            f"{key}:{channel}" if key else idempotency_key(campaign, channel, image_url, link)
        )
        if found := _existing(conn, post_key):
            posts.append((found, False))
            continue
        draft = (chain and llm_draft(conn, chain, campaign, product, channel)) or template_draft(
            campaign, product, channel
        )
        values = {**asdict(campaign), **asdict(draft), "hashtags": Jsonb(draft.hashtags)}
        values |= {"key": post_key, "channel": channel, "campaign": campaign.name}
        values |= {"product": product.name, "image_url": image_url, "link": link}
        row = conn.cursor(row_factory=dict_row).execute(INSERT_SQL, values).fetchone()
        posts.append((row, True) if row else (_existing(conn, post_key), False))
    return posts


def schedule_post(
    conn: psycopg.Connection, post_id: int, at: datetime | None, timezone: str, now: datetime
) -> dict | None:
    """Schedule a post not yet published at `at`, or at the best hour; its row after
    (None: no such post; a published post is returned unchanged)."""
    with conn.transaction():
        post = (
            conn.cursor(row_factory=dict_row)
            .execute("select * from app.content_posts where post_id = %s for update", (post_id,))
            .fetchone()
        )
        if post is None or post["status"] == "published":
            return post
        if at is None:
            slot = best_slot(conn, post["channel"], timezone, now)
            at, basis = slot.at, slot.as_json()
        else:
            basis = {"basis": "requested", "at": at.isoformat()}
        return (
            conn.cursor(row_factory=dict_row)
            .execute(
                "update app.content_posts set status = 'scheduled', scheduled_for = %s,"
                " schedule_basis = %s, updated_at = now() where post_id = %s returning *",
                (at, Jsonb(basis), post_id),
            )
            .fetchone()
        )
