"""Sign and POST webhook deliveries to a running API, the way Meta's (or Shopify's) servers would.

Each body is signed with HMAC-SHA256 of its exact bytes (`X-Hub-Signature-256` for Meta,
the delivery's own header builder for commerce webhooks), sent over
real HTTP with modest concurrency, retried with backoff on connection errors and 5xx (as
Meta retries), and counted. Order within the list is kept per sender slot, not globally:
like Meta, we promise nothing about arrival order.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import aiohttp

if TYPE_CHECKING:
    from crm.demo.commerce import CommerceDelivery

INBOUND_PATH = "/api/v1/webhooks/inbound"
COMMERCE_PATH = "/api/v1/webhooks/commerce"
Request = tuple[bytes, dict[str, str]]  # body and its headers


def sign(body: bytes, secret: str) -> str:
    """The `X-Hub-Signature-256` header value for a body."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signed_headers(body: bytes, secret: str) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "X-Hub-Signature-256": sign(body, secret),
        "User-Agent": "facebookexternalua",
    }


@dataclass
class SendReport:
    """How a batch of deliveries fared."""

    accepted: int = 0
    failed: int = 0
    retries: int = 0
    seconds: float = 0.0
    statuses: dict[int, int] = field(default_factory=dict)  # final HTTP status -> count

    @property
    def rate(self) -> float:
        return (self.accepted + self.failed) / self.seconds if self.seconds else 0.0


async def send_all(
    base_url: str,
    requests: Sequence[Request],
    path: str = INBOUND_PATH,
    concurrency: int = 16,
    attempts: int = 5,
    progress: bool = True,
) -> SendReport:
    """POST every (body, headers) to `path`, `concurrency` at a time; the tally once settled."""
    report = SendReport()
    pending = list(reversed(requests))  # pop() from the end keeps the list's order
    started = time.perf_counter()
    connector = aiohttp.TCPConnector(limit=concurrency)
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(base_url, connector=connector, timeout=timeout) as session:

        async def worker() -> None:
            while pending:
                body, headers = pending.pop()
                status = await _post(session, path, body, headers, attempts, report)
                report.statuses[status] = report.statuses.get(status, 0) + 1
                if status == 200:
                    report.accepted += 1
                else:
                    report.failed += 1
                if progress:
                    _progress(report, len(requests), started)

        await asyncio.gather(*(worker() for _ in range(concurrency)))
    report.seconds = time.perf_counter() - started
    if progress:
        sys.stderr.write("\n")
    return report


async def _post(
    session: aiohttp.ClientSession,
    path: str,
    body: bytes,
    headers: dict[str, str],
    attempts: int,
    report: SendReport,
) -> int:
    """One delivery, retried on connection errors and 5xx with exponential backoff."""
    status = 0
    for attempt in range(attempts):
        try:
            async with session.post(path, data=body, headers=headers) as response:
                await response.read()
                status = response.status
            if status < 500:
                return status
        except (TimeoutError, aiohttp.ClientError):
            status = 0
        if attempt + 1 < attempts:
            report.retries += 1
            await asyncio.sleep(0.2 * 2**attempt)
    return status


def _progress(report: SendReport, total: int, started: float) -> None:
    done = report.accepted + report.failed
    if done % 50 and done != total:
        return
    rate = done / max(time.perf_counter() - started, 1e-6)
    sys.stderr.write(
        f"\r  sent {done}/{total} deliveries  accepted {report.accepted}  "
        f"failed {report.failed}  retries {report.retries}  {rate:,.0f}/s   "
    )
    sys.stderr.flush()


def send(
    base_url: str,
    bodies: Sequence[bytes],
    secret: str,
    concurrency: int = 16,
    progress: bool = True,
) -> SendReport:
    """Meta deliveries, signed with the app secret: synchronous door to `send_all`."""
    requests = [(body, signed_headers(body, secret)) for body in bodies]
    return asyncio.run(send_all(base_url, requests, INBOUND_PATH, concurrency, progress=progress))


def send_commerce(
    base_url: str,
    deliveries: Sequence[CommerceDelivery],
    secret: str,
    concurrency: int = 8,
    progress: bool = True,
) -> SendReport:
    """Shopify-format deliveries, each with the headers it builds (topic, id, HMAC)."""
    requests = [(d.body, d.headers(secret)) for d in deliveries]
    return asyncio.run(send_all(base_url, requests, COMMERCE_PATH, concurrency, progress=progress))
