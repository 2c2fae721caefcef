"""Publishing stored posts: now (`publish_post`) or when due (`publish_due`, the schedule).

A post is locked (`for update`) while it is published, and one already `published` is
never sent again, so two runs of the schedule or a manual publish racing it post once.
The outcome is recorded in the same transaction: `published` with the provider's id and
the calls made, or `failed` with Meta's error. Without a token the post becomes
`published` with `dry_run` set and the calls that would have been made; nothing leaves.
A failed post can be published again by hand; an Instagram container already created is
reused then.
"""

from __future__ import annotations

from datetime import datetime

import psycopg
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb

from crm.content.graph import ContentPublisher
from crm.conversation.senders import Rejected, Transient, Unknown

PUBLISHABLE = ("draft", "scheduled", "failed")


def _update(conn: psycopg.Connection, post_id: int, sql: str, *params) -> dict:
    return (
        conn.cursor(row_factory=dict_row)
        .execute(
            f"update app.content_posts set {sql}, updated_at = now() where post_id = %s"
            " returning *",
            (*params, post_id),
        )
        .fetchone()
    )


def publish_post(
    conn: psycopg.Connection,
    publisher: ContentPublisher,
    post_id: int,
    allowed: tuple[str, ...] = PUBLISHABLE,
) -> dict | None:
    """Publish one post if its status is in `allowed`; its row after (None: no such post)."""
    with conn.transaction():
        post = (
            conn.cursor(row_factory=dict_row)
            .execute("select * from app.content_posts where post_id = %s for update", (post_id,))
            .fetchone()
        )
        if post is None or post["status"] not in allowed:
            return post
        if post["channel"] == "instagram" and not post["image_url"]:
            return _update(
                conn, post_id, "status = 'failed', last_error = %s", "Instagram needs image_url"
            )
        if not publisher.can_publish(post["channel"]):
            return _update(
                conn,
                post_id,
                "status = 'published', dry_run = true, published_at = now(), request = %s",
                Jsonb(publisher.plan(post)),
            )
        return _publish_live(conn, publisher, post)


def _publish_live(conn: psycopg.Connection, publisher: ContentPublisher, post: dict) -> dict:
    post_id = post["post_id"]

    def keep_container(creation_id: str) -> None:
        post["creation_id"] = creation_id
        _update(conn, post_id, "creation_id = %s", creation_id)

    try:
        provider_id = publisher.publish(post, keep_container)
    except (Transient, Unknown, Rejected) as exc:
        return _update(
            conn,
            post_id,
            "status = 'failed', attempts = attempts + 1, last_error = %s, request = %s",
            str(exc)[:500],
            Jsonb(publisher.plan(post)),
        )
    return _update(
        conn,
        post_id,
        "status = 'published', dry_run = false, published_at = now(), provider_post_id = %s,"
        " attempts = attempts + 1, last_error = null, request = %s",
        provider_id,
        Jsonb(publisher.plan(post)),
    )


def publish_due(
    conn: psycopg.Connection, publisher: ContentPublisher, now: datetime, limit: int = 20
) -> list[dict]:
    """Publish the scheduled posts whose time has come, oldest first; their rows after."""
    due = conn.execute(
        "select post_id from app.content_posts where status = 'scheduled'"
        " and scheduled_for <= %s order by scheduled_for, post_id limit %s",
        (now, limit),
    ).fetchall()
    published = [publish_post(conn, publisher, post_id, ("scheduled",)) for (post_id,) in due]
    return [post for post in published if post is not None]
