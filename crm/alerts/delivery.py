"""Sending alerts to the configured webhook, signed like the handoff webhook.

Each pending alert is POSTed as JSON with `X-CRM-Signature-256: sha256=<HMAC-SHA256 of
the body>` (`escalation.sign`), so the receiver can check it came from us. 429 / 5xx /
connection failures are retried with backoff within the call (`senders.with_retries`);
an alert still undelivered stays `failed` and is tried again by the next check until
MAX_ATTEMPTS. Every attempt is counted and the last error kept in `app.alerts`. Without
`ALERT_WEBHOOK_URL` alerts are only stored (`not_configured`).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import httpx
import psycopg
from psycopg.rows import dict_row

from crm.conversation.escalation import SIGNATURE_HEADER, sign
from crm.conversation.senders import Rejected, Transient, Unknown, with_retries

MAX_ATTEMPTS = 12  # tries, counted singly: three checks of four tries each

DUE_SQL = """
select alert_id, metric, dimension, metric_day, direction, value, expected_low, expected_high,
    robust_z, message, evidence, created_at
from app.alerts
where delivery_status in ('pending', 'failed') and delivery_attempts < %s
order by alert_id
for update skip locked
"""


def payload(alert: dict) -> bytes:
    """The webhook body: the alert and its evidence."""
    body = {"event": "alert.raised", **alert}
    return json.dumps(body, default=str, sort_keys=True).encode()


def _post(http: httpx.Client, url: str, body: bytes, secret: str) -> None:
    headers = {"Content-Type": "application/json", SIGNATURE_HEADER: sign(body, secret)}
    try:
        response = http.post(url, content=body, headers=headers)
    except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
        raise Transient(f"not connected: {exc}") from exc
    except httpx.HTTPError as exc:
        raise Unknown(f"no answer: {exc}") from exc
    if response.status_code == 429 or response.status_code >= 500:
        raise Transient(f"HTTP {response.status_code}")
    if response.status_code >= 400:
        raise Rejected(f"HTTP {response.status_code}: {response.text[:200]}")


def deliver_pending(
    conn: psycopg.Connection,
    url: str | None,
    secret: str,
    http: httpx.Client,
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    """POST every undelivered alert; the number delivered now."""
    if not url:
        conn.execute(
            "update app.alerts set delivery_status = 'not_configured'"
            " where delivery_status = 'pending'"
        )
        return 0
    delivered = 0
    for alert in conn.cursor(row_factory=dict_row).execute(DUE_SQL, (MAX_ATTEMPTS,)).fetchall():
        body, tries = payload(alert), [0]

        def attempt(body: bytes = body, tries: list[int] = tries) -> None:
            tries[0] += 1
            _post(http, url, body, secret)

        try:
            with_retries(attempt, f"alert {alert['alert_id']}", sleep)
        except (Transient, Unknown, Rejected) as exc:
            _record(conn, alert["alert_id"], "failed", tries[0], str(exc)[:500])
            continue
        _record(conn, alert["alert_id"], "sent", tries[0], None)
        delivered += 1
    return delivered


def _record(
    conn: psycopg.Connection, alert_id: int, status: str, tries: int, error: str | None
) -> None:
    conn.execute(
        "update app.alerts set delivery_status = %s, delivery_attempts = delivery_attempts + %s,"
        " delivery_last_error = %s,"
        " delivered_at = case when %s = 'sent' then now() end where alert_id = %s",
        (status, tries, error, status, alert_id),
    )
