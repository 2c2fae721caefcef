"""bench/ingest.py: unique signed deliveries, both endpoints measured (no timing asserts)."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import sys

from crm.demo.sender import sign
from crm.settings import PROJECT_ROOT


def _bench():
    spec = importlib.util.spec_from_file_location(
        "bench_ingest", PROJECT_ROOT / "bench" / "ingest.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_pool_is_unique_and_signed():
    pool = _bench().build_pool(600, "s3cret")
    assert len(pool) == 600 and len({body for body, _ in pool}) == 600
    body, headers = pool[0]
    assert headers["X-Hub-Signature-256"] == sign(body, "s3cret") and json.loads(body)["object"]


def test_drive_counts_every_request_against_both_endpoints(api_url, meta_secret):
    bench = _bench()
    pool = bench.build_pool(60, meta_secret)
    for path in (bench.INBOUND, bench.BARE):
        result = asyncio.run(bench.drive(path, api_url + path, pool, concurrency=4, seconds=30))
        assert (result.sent, result.errors) == (60, 0)
        assert result.percentile(99) >= result.percentile(50) > 0
