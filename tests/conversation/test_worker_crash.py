"""`crm worker` killed (SIGKILL) mid-way and restarted: no message lost, none answered twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import psycopg

from crm.demo.chat_payloads import whatsapp_text
from crm.settings import PROJECT_ROOT

MESSAGES = 300


def _start_worker(db: str, log) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": db, "BUSINESS_HOURS": "mon-sun 00:00-23:59"}
    env["CONVERSATION_TEXT_MODELS"] = "keywords"  # starts in a second, not a model load
    env.pop("WHATSAPP_ACCESS_TOKEN", None)  # dry run: record what would be sent
    command = [sys.executable, "-m", "crm.cli", "worker", "--poll", "0.01"]
    return subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=log)


def _count(db: str, sql: str) -> int:
    with psycopg.connect(db) as conn:
        return conn.execute(sql).fetchone()[0]


def _wait_for(db: str, sql: str, at_least: int, timeout: float = 60) -> int:
    deadline = time.monotonic() + timeout
    while (count := _count(db, sql)) < at_least and time.monotonic() < deadline:
        time.sleep(0.02)
    return count


def test_killing_the_worker_loses_nothing_and_replies_once(knowledge, deliver, db, tmp_path):
    processed = "select count(*) from app.processed_events"
    with (tmp_path / "worker.log").open("wb") as log:
        for kill_after in (40, 120, 200):
            worker = _start_worker(db, log)
            for i in range(kill_after - 40, kill_after + 40):  # more arrives while it runs
                deliver(whatsapp_text(f"wamid.{i}", f"5076{i % 37:07d}", f"hola, precio {i}"))
            _wait_for(db, processed, kill_after)
            os.kill(worker.pid, signal.SIGKILL)
            worker.wait()
        for i in range(240, MESSAGES):
            deliver(whatsapp_text(f"wamid.{i}", f"5076{i % 37:07d}", f"hola, precio {i}"))
        worker = _start_worker(db, log)
        try:
            _wait_for(db, "select count(*) from app.outbox where status = 'dry_run'", MESSAGES)
        finally:
            worker.send_signal(signal.SIGTERM)
            assert worker.wait(timeout=20) == 0
    assert _count(db, processed) == MESSAGES
    assert _count(db, "select count(*) from app.outbox") == MESSAGES
    assert _count(db, "select count(distinct in_reply_to) from app.outbox") == MESSAGES
    assert _count(db, "select count(*) from app.outbox where status <> 'dry_run'") == 0


def test_two_workers_share_the_queue_without_processing_anything_twice(
    knowledge, deliver, db, tmp_path
):
    with (tmp_path / "workers.log").open("wb") as log:
        workers = [_start_worker(db, log) for _ in range(2)]
        try:
            for i in range(200):
                deliver(whatsapp_text(f"wamid.{i}", f"5076{i % 53:07d}", f"hola, precio {i}"))
            _wait_for(db, "select count(*) from app.outbox where status = 'dry_run'", 200)
        finally:
            for worker in workers:
                worker.send_signal(signal.SIGTERM)
            codes = [worker.wait(timeout=20) for worker in workers]
    assert codes == [0, 0]
    assert _count(db, "select count(*) from app.processed_events") == 200
    assert _count(db, "select count(*) from app.processed_events where outcome = 'failed'") == 0
    assert _count(db, "select count(distinct in_reply_to) from app.outbox") == 200
    assert _count(db, "select count(*) from app.outbox") == 200


def test_drain_processes_everything_pending_sends_the_outbox_and_exits(knowledge, deliver, db):
    for i in range(12):
        deliver(whatsapp_text(f"wamid.d{i}", f"5076{i:07d}", f"hola, precio del monitor {i}"))
    env = {**os.environ, "DATABASE_URL": db, "BUSINESS_HOURS": "mon-sun 00:00-23:59"}
    env["CONVERSATION_TEXT_MODELS"] = "keywords"
    env.pop("WHATSAPP_ACCESS_TOKEN", None)
    command = [sys.executable, "-m", "crm.cli", "worker", "--drain"]
    done = subprocess.run(
        command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith("12 events processed")
    assert _count(db, "select count(*) from app.processed_events") == 12
    assert _count(db, "select count(*) from app.outbox where status = 'dry_run'") == 12
    again = subprocess.run(command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True)
    assert again.stdout.strip().endswith("0 events processed")
    assert _count(db, "select count(*) from app.outbox") == 12
