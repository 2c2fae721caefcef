"""Draining the outbox to Meta: WhatsApp Cloud API and the Messenger / Instagram Send API.

Every payload was built at enqueue time in the shape the API takes, so sending is one
POST to `{graph}/{sender id}/messages` with the channel's access token. A row is claimed
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

import httpx
import psycopg
from psycopg.rows import dict_row

from crm.conversation.outbox import apply_statuses, opted_out
from crm.settings import Settings

log = logging.getLogger(__name__)
RETRIES = 3
MAX_ATTEMPTS = 5
STUCK_AFTER = "5 minutes"


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

    def send(self, row: dict) -> str:
        """The provider's message id, after up to RETRIES retries of transient failures."""
        for attempt in range(RETRIES + 1):
            try:
                return self._post(row)
            except Transient as exc:
                if attempt == RETRIES:
                    raise
                delay = getattr(exc, "retry_after", None) or 0.5 * 2**attempt
                log.info("send %s: %s, retrying in %.1fs", row["outbox_id"], exc, delay)
                self.sleep(delay)
        raise AssertionError("unreachable")

    def _post(self, row: dict) -> str:
        url = f"{self.base}/{row['sender_id'] or 'me'}/messages"
        headers = {"Authorization": f"Bearer {self.tokens[row['channel']]}"}
        try:
            response = self.http.post(url, json=row["body"], headers=headers)
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
        data = response.json()
        messages = data.get("messages") or [{}]
        return messages[0].get("id") or data.get("message_id")


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
