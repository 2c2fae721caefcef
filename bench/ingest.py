"""Ingest benchmark: signed Meta deliveries against the API, and against a bare endpoint.

    uv run python bench/ingest.py --url http://127.0.0.1:8000 --concurrency 32 --rounds 5
    uv run python bench/ingest.py --start-server          # starts `crm serve` on a free port
    (against a server you started yourself, start it with CRM_BENCH_ENDPOINT=1)

Pre-builds and pre-signs a pool of unique, realistic deliveries (the demo's builders: every
WhatsApp / Instagram / Messenger kind, ids unique to this run), drives them with aiohttp
for a bounded time and count at POST /api/v1/webhooks/inbound, then the same load at
POST /api/v1/webhooks/_bare (same app, does nothing), alternating for several rounds, and
prints deliveries/s, p50 / p95 / p99 latency and errors of each run, then the medians and
the median ratio: the machine is shared and noisy, so one run proves little. Loopback
only; it prints, never asserts.
What it sends is landed for real: point DATABASE_URL at a scratch database to keep the
demo's data clean.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import secrets
import statistics
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass

import aiohttp

from crm.demo.sender import signed_headers
from crm.demo.server import add_target_arguments, bench_target, refuses_target
from crm.demo.traffic import build_traffic
from crm.demo.world import build_world
from crm.settings import get_settings

INBOUND = "/api/v1/webhooks/inbound"
BARE = "/api/v1/webhooks/_bare"


@dataclass
class Result:
    """One load run's figures."""

    name: str
    sent: int
    errors: int
    seconds: float
    latencies_ms: list[float]

    @property
    def rate(self) -> float:
        return (self.sent - self.errors) / self.seconds if self.seconds else 0.0

    def percentile(self, p: int) -> float:
        if len(self.latencies_ms) < 2:
            return float("nan")
        return statistics.quantiles(self.latencies_ms, n=100, method="inclusive")[p - 1]


def build_pool(size: int, secret: str) -> list[tuple[bytes, dict[str, str]]]:
    """`size` unique signed deliveries: the demo's traffic mix, ids unique to this run."""
    nonce = secrets.token_hex(4)
    pool: list[tuple[bytes, dict[str, str]]] = []
    seed = 1000 + int(nonce, 16) % 10**6  # new people each run, not the same few growing
    while len(pool) < size:
        world = build_world(seed=seed, people=300, namespace=f"bench-{nonce}-{seed}")
        for delivery in build_traffic(world, batch_share=0, redelivery_share=0).deliveries:
            pool.append((delivery.body, signed_headers(delivery.body, secret)))
        seed += 1
    return pool[:size]


async def drive(
    name: str,
    url: str,
    pool: Iterable[tuple[bytes, dict[str, str]]],
    concurrency: int,
    seconds: float,
) -> Result:
    """`concurrency` keep-alive clients post pool items until the pool or the time runs out.

    An iterator pool is consumed where the last call stopped, so rounds never resend.
    """
    latencies: list[float] = []
    errors = 0
    items = iter(pool)
    connector = aiohttp.TCPConnector(limit=concurrency, force_close=False)
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        deadline = time.perf_counter() + seconds

        async def client() -> None:
            nonlocal errors
            while time.perf_counter() < deadline and (item := next(items, None)) is not None:
                began = time.perf_counter()
                try:
                    async with session.post(url, data=item[0], headers=item[1]) as response:
                        await response.read()
                        ok = response.status == 200
                except (TimeoutError, aiohttp.ClientError):
                    ok = False
                latencies.append((time.perf_counter() - began) * 1000)
                errors += not ok

        started = time.perf_counter()
        await asyncio.gather(*(client() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return Result(name, len(latencies), errors, elapsed, latencies)


def print_results(rounds: list[tuple[Result, Result]], concurrency: int) -> None:
    """Every round's figures, then the medians: the machine is shared and noisy."""
    print(f"\nconcurrency {concurrency}, loopback, load generator on the same machine")
    print(
        f"{'round endpoint':<46} {'deliveries/s':>12} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'p99 ms':>8} {'errors':>7} {'sent':>7}"
    )
    for n, pair in enumerate(rounds, start=1):
        for r in pair:
            print(
                f"{n:<5} {r.name:<40} {r.rate:>12,.0f} {r.percentile(50):>8.1f} "
                f"{r.percentile(95):>8.1f} {r.percentile(99):>8.1f} {r.errors:>7} {r.sent:>7}"
            )
    ours, bare = ([pair[i] for pair in rounds] for i in (0, 1))
    ratios = [o.rate / b.rate for o, b in rounds if b.rate]
    for label, side in (("ours", ours), ("bare", bare)):
        print(
            f"median {label}: {statistics.median(r.rate for r in side):,.0f} deliveries/s, "
            f"p50 {statistics.median(r.percentile(50) for r in side):.1f} ms, "
            f"p99 {statistics.median(r.percentile(99) for r in side):.1f} ms"
        )
    if ratios:
        print(f"median ratio ours/bare (per round): {statistics.median(ratios):.2f}")
    print("issue 2 target: >= 1,000 deliveries/s, p99 < 50 ms, >= 0.5 x bare")


async def bench(base_url: str, args: argparse.Namespace) -> list[tuple[Result, Result]]:
    secret = get_settings().app_secret()
    started = time.perf_counter()
    pool = build_pool(args.max_deliveries + args.warmup, secret)
    print(
        f"pool: {len(pool)} unique signed deliveries, built in "
        f"{time.perf_counter() - started:.1f}s",
        flush=True,
    )
    warm, measured = pool[: args.warmup], iter(pool[args.warmup :])
    for path in (INBOUND, BARE):
        await drive("warm-up", base_url + path, warm, args.concurrency, args.seconds)
    rounds = []
    for n in range(1, args.rounds + 1):
        print(f"round {n}/{args.rounds}: {args.seconds:g}s on each endpoint ...", flush=True)
        ours = await drive(
            "POST " + INBOUND, base_url + INBOUND, measured, args.concurrency, args.seconds
        )
        same_bodies = itertools.islice(itertools.cycle(warm), args.max_deliveries)
        bare = await drive(
            "POST " + BARE + " (baseline)",
            base_url + BARE,
            same_bodies,
            args.concurrency,
            args.seconds,
        )
        rounds.append((ours, bare))
    return rounds


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_target_arguments(parser)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=5.0, help="time bound per run")
    parser.add_argument("--rounds", type=int, default=5, help="alternating runs per endpoint")
    parser.add_argument("--max-deliveries", type=int, default=80_000, help="count bound")
    parser.add_argument("--warmup", type=int, default=500, help="unmeasured requests first")
    parser.add_argument("--workers", type=int, default=1, help="with --start-server")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if refuses_target(args):
        return 2
    with bench_target(args, "api.log", workers=args.workers) as base_url:
        print(f"target: {base_url}", flush=True)
        results = asyncio.run(bench(base_url, args))
    print_results(results, args.concurrency)
    return 0


if __name__ == "__main__":
    sys.exit(main())
