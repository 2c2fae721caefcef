"""Draining the outbox to Meta: WhatsApp Cloud API and the Messenger / Instagram Send API.

Every payload was built at enqueue time in the shape the API takes, so sending is one
POST with the channel's access token: to `{graph}/{sender id}/messages`, or for a comment
action (public reply, hide) to the comment itself (`graph_path`). A row is claimed
(`send_started_at` set, committed) before the call, and the outcome is recorded after:
- 2xx: `sent` with the provider's message id (statuses that overtook the answer applied);
- 429 / 5xx / connection refused: retried here with exponential backoff, then re-queued;
- other 4xx: `failed` with Meta's error message;
- a read timeout, or a crash between claim and record: the message may have gone out, and
  neither API takes an idempotency key, so it is marked `failed` ("delivery unknown")
  rather than risk a second copy: no reply is ever sent twice.
No token for the channel: `dry_run`, the row recording what would have been sent.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import httpx
import psycopg
from psycopg.rows import dict_row

from crm.conversation.outbox import apply_statuses, opted_out
from crm.settings import Settings

log = logging.getLogger(__name__)
RETRIES = 3
MAX_ATTEMPTS = 5
STUCK_AFTER = "5 minutes"
T = TypeVar("T")


class Transient(Exception):
    """429 / 5xx / not connected: nothing was sent, trying again is safe."""


class Unknown(Exception):
    """The request may have reached Meta: do not send again."""


class Rejected(Exception):
    """Meta refused the message (4xx): trying again will not help."""


@dataclass
class RateLimiter:
    """At most `per_second` sends per sender account (phone number, Page, IG account)."""

    per_second: float
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic

    def __post_init__(self) -> None:
        self._next: dict[str, float] = {}

    def wait(self, sender: str) -> None:
        now = self.clock()
        ready = self._next.get(sender, now)
        if ready > now:
            self.sleep(ready - now)
        self._next[sender] = max(ready, now) + 1 / self.per_second


class GraphSender:
    """POSTs outbox payloads to the Graph API with retries and backoff."""

    def __init__(
        self, settings: Settings, http: httpx.Client, sleep: Callable[[float], None] = time.sleep
    ) -> None:
        self.base = settings.graph_api_base.rstrip("/")
        self.tokens = {
            "whatsapp": settings.whatsapp_access_token,
            "messenger": settings.messenger_access_token,
            "instagram": settings.instagram_access_token,
        }
        self.http, self.sleep = http, sleep

    def can_send(self, channel: str) -> bool:
        return bool(self.tokens.get(channel))

    def send(self, row: dict) -> str | None:
        """The provider's message id (None for a hide), after up to RETRIES retries of
        transient failures."""
        return with_retries(lambda: self._post(row), f"send {row['outbox_id']}", self.sleep)

    def _post(self, row: dict) -> str | None:
        url = f"{self.base}/{graph_path(row)}"
        data = graph_post(self.http, url, self.tokens[row["channel"]], row["body"])
        messages = data.get("messages") or [{}]
        # WhatsApp: messages[0].id; Send API: message_id; a comment reply: id; a hide: none
        return messages[0].get("id") or data.get("message_id") or data.get("id")


def graph_path(row: dict) -> str:
    """Where an outbox row is POSTed: messages (private replies included) to the sender's
    `/messages`; a public comment reply to the comment's `/comments` (Facebook) or
    `/replies` (Instagram); a hide to the comment itself (its id is `in_reply_to`)."""
    if row["kind"] == "comment_reply":
        edge = "replies" if row["channel"] == "instagram" else "comments"
        return f"{row['in_reply_to']}/{edge}"
    if row["kind"] == "hide_comment":
        return row["in_reply_to"]
    return f"{row['sender_id'] or 'me'}/messages"


def with_retries(call: Callable[[], T], label: str, sleep: Callable[[float], None]) -> T:
    """`call()`, retried up to RETRIES times on `Transient` with exponential backoff (or
    the server's Retry-After); any other outcome is final."""
    for attempt in range(RETRIES + 1):
        try:
            return call()
        except Transient as exc:
            if attempt == RETRIES:
                raise
            delay = getattr(exc, "retry_after", None) or 0.5 * 2**attempt
            log.info("%s: %s, retrying in %.1fs", label, exc, delay)
            sleep(delay)
    raise AssertionError("unreachable")


def graph_post(http: httpx.Client, url: str, token: str, payload: dict) -> dict:
    """POST one JSON payload to a Graph API edge; its JSON answer, or the failure classified
    as `Transient` (429 / 5xx / not connected), `Unknown` (no answer) or `Rejected` (4xx)."""
    headers = {"Authorization": f"Bearer {token}"}
    try:
        response = http.post(url, json=payload, headers=headers)
    except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
        raise Transient(f"not connected: {exc}") from exc
    except httpx.HTTPError as exc:
        raise Unknown(f"no answer: {exc}") from exc
    if response.status_code == 429 or response.status_code >= 500:
        error = Transient(f"HTTP {response.status_code}: {response.text[:200]}")
        error.retry_after = float(response.headers.get("Retry-After", 0) or 0)
        raise error
    if response.status_code >= 400:
        message = response.json().get("error", {}).get("message", response.text[:200])
        raise Rejected(f"HTTP {response.status_code}: {message}")
    return response.json()


CLAIM_SQL = """
update app.outbox set send_started_at = now(), attempts = attempts + 1
where outbox_id in (
    select outbox_id from app.outbox
    where status = 'queued' and send_started_at is null and next_attempt_at <= now()
      and channel = any(%s)
    order by outbox_id limit %s for update skip locked
)
returning *
"""


def _finish(conn: psycopg.Connection, outbox_id: int, sql: str, *params) -> None:
    conn.execute(
        f"update app.outbox set send_started_at = null, {sql} where outbox_id = %s",
        (*params, outbox_id),
    )


def send_row(conn: psycopg.Connection, sender: GraphSender, limiter: RateLimiter, row: dict):
    """Send one claimed row and record its outcome (the caller commits)."""
    if row["purpose"] != "opt_out" and opted_out(conn, row["channel"], row["recipient_id"]):
        return _finish(conn, row["outbox_id"], "status = 'failed', last_error = %s", "opted out")
    limiter.wait(row["sender_id"] or row["channel"])
    try:
        provider_id = sender.send(row)
    except Transient as exc:
        final = row["attempts"] >= MAX_ATTEMPTS
        return _finish(
            conn,
            row["outbox_id"],
            "status = %s, last_error = %s, next_attempt_at = now() + %s * interval '1 second'",
            "failed" if final else "queued",
            str(exc)[:500],
            2 ** row["attempts"],
        )
    except (Unknown, Rejected) as exc:
        return _finish(conn, row["outbox_id"], "status = 'failed', last_error = %s", str(exc)[:500])
    _finish(
        conn,
        row["outbox_id"],
        "status = 'sent', sent_at = now(), provider_message_id = %s",
        provider_id,
    )
    if provider_id:
        apply_statuses(conn, [provider_id])


DRY_RUN_SQL = """
update app.outbox set status = 'dry_run', sent_at = now()
where outbox_id in (
    select outbox_id from app.outbox
    where status = 'queued' and send_started_at is null and channel <> all(%s)
    order by outbox_id limit 500 for update skip locked
)
"""


def drain(
    conn: psycopg.Connection, sender: GraphSender, limiter: RateLimiter, batch: int = 20
) -> int:
    """Send what is due, each row claimed and recorded in its own committed step; rows of
    channels without a token become `dry_run` in one statement (nothing leaves)."""
    live = [channel for channel in sender.tokens if sender.can_send(channel)]
    dry = conn.execute(DRY_RUN_SQL, (live,)).rowcount
    with conn.transaction():
        conn.execute(
            "update app.outbox set status = 'failed', send_started_at = null,"
            " last_error = 'interrupted during send: delivery unknown, not retried'"
            f" where status = 'queued' and send_started_at < now() - interval '{STUCK_AFTER}'"
        )
        rows = conn.cursor(row_factory=dict_row).execute(CLAIM_SQL, (live, batch)).fetchall()
    for row in rows:
        with conn.transaction():
            send_row(conn, sender, limiter, row)
    return dry + len(rows)
