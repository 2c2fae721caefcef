"""Sign and POST webhook deliveries to a running API, the way Meta's servers would.

Each body is signed with HMAC-SHA256 of its exact bytes (`X-Hub-Signature-256`), sent over
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

import aiohttp

INBOUND_PATH = "/api/v1/webhooks/inbound"


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
    bodies: Sequence[bytes],
    secret: str,
    concurrency: int = 16,
    attempts: int = 5,
    progress: bool = True,
) -> SendReport:
    """POST every body, `concurrency` at a time; returns the tally once all are settled."""
    report = SendReport()
    pending = list(reversed(bodies))  # pop() from the end keeps the list's order
    started = time.perf_counter()
    connector = aiohttp.TCPConnector(limit=concurrency)
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(base_url, connector=connector, timeout=timeout) as session:

        async def worker() -> None:
            while pending:
                status = await _post(session, pending.pop(), secret, attempts, report)
                report.statuses[status] = report.statuses.get(status, 0) + 1
                if status == 200:
                    report.accepted += 1
                else:
                    report.failed += 1
                if progress:
                    _progress(report, len(bodies), started)

        await asyncio.gather(*(worker() for _ in range(concurrency)))
    report.seconds = time.perf_counter() - started
    if progress:
        sys.stderr.write("\n")
    return report


async def _post(
    session: aiohttp.ClientSession, body: bytes, secret: str, attempts: int, report: SendReport
) -> int:
    """One delivery, retried on connection errors and 5xx with exponential backoff."""
    headers = signed_headers(body, secret)
    status = 0
    for attempt in range(attempts):
        try:
            async with session.post(INBOUND_PATH, data=body, headers=headers) as response:
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
    """Synchronous door to `send_all` for the demo and tests."""
    return asyncio.run(send_all(base_url, bodies, secret, concurrency, progress=progress))
