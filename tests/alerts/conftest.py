"""Fixtures for the alert tests: a loopback webhook receiver the app posts alerts to, and
a daily-metrics mart built by dbt over landed messages with a known weekly rhythm."""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import psycopg
import pytest

from ingestion.landing import land, prepare_delivery

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "dbt"))
from dbt_runner import run_dbt

ALERT_SECRET = "test-alert-secret"
# inbound WhatsApp messages per weekday (Monday first): a rhythm, not anomalies
WHATSAPP_LEVELS = (30, 20, 25, 25, 30, 12, 6)
INSTAGRAM_PER_DAY = 8
SPIKE = 80
WEEKS = 8


@dataclass
class Receiver:
    """Alert deliveries received (headers, raw body); answers with `statuses` in turn."""

    url: str = ""
    statuses: list[int] = field(default_factory=list)
    received: list[tuple[dict[str, str], bytes]] = field(default_factory=list)

    def reset(self, *statuses: int) -> None:
        self.statuses, self.received = list(statuses), []


@pytest.fixture(scope="session")
def receiver() -> Iterator[Receiver]:
    """A real HTTP server on loopback standing in for the team's alert endpoint."""
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            state.received.append((dict(self.headers), body))
            status = state.statuses.pop(0) if state.statuses else 200
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/crm-alerts"
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def api_env(api_env: dict[str, str], receiver: Receiver) -> dict[str, str]:
    """The app's environment, with the alert webhook pointed at the receiver."""
    return {**api_env, "ALERT_WEBHOOK_URL": receiver.url, "ALERT_WEBHOOK_SECRET": ALERT_SECRET}


def check_tuesday(today: date) -> date:
    """The last Tuesday before today: the day the spike and the silence are seeded on."""
    return today - timedelta(days=(today.weekday() - 1) % 7 or 7)


def _whatsapp(n: int, at: datetime) -> dict:
    wa_id = f"5076100{n % 50:04d}"
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": "WABA1", "changes": [{"field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "15550001111", "phone_number_id": "PNID1"},
            "contacts": [{"profile": {"name": f"Cliente {n % 50}"}, "wa_id": wa_id}],
            "messages": [{"from": wa_id, "id": f"wamid.ALERT{n}", "type": "text",
                          "timestamp": str(int(at.timestamp())), "text": {"body": "Hola"}}],
        }}]}],
    }  # fmt: skip


def _instagram(n: int, at: datetime) -> dict:
    ms = int(at.timestamp() * 1000)
    return {
        "object": "instagram",
        "entry": [{"id": "IGACC", "time": ms, "messaging": [{
            "sender": {"id": f"ig-user-{n % 30}"}, "recipient": {"id": "IGACC"},
            "timestamp": ms, "message": {"mid": f"mid.alert.{n}", "text": "Hola"},
        }]}],
    }  # fmt: skip


def seeded_deliveries(tuesday: date, today: date) -> list[dict]:
    """WEEKS weeks of rhythm before `tuesday`, then a WhatsApp spike and a silent
    Instagram on it, then ordinary days up to yesterday."""
    bodies: list[dict] = []
    day = tuesday - timedelta(weeks=WEEKS)
    while day < today:
        week = (tuesday - day).days // 7
        whatsapp = SPIKE if day == tuesday else WHATSAPP_LEVELS[day.weekday()] + week % 3 - 1
        instagram = 0 if day == tuesday else INSTAGRAM_PER_DAY
        start = datetime.combine(day, time(14, 0), tzinfo=UTC)
        for i in range(whatsapp):
            bodies.append(_whatsapp(len(bodies), start + timedelta(seconds=20 * i)))
        for i in range(instagram):
            bodies.append(_instagram(len(bodies), start + timedelta(seconds=20 * i + 7)))
        day += timedelta(days=1)
    return bodies


@pytest.fixture(scope="module")
def seeded_metrics(
    database_url: str,
    tmp_path_factory: pytest.TempPathFactory,
    empty_landing: Callable[[psycopg.Connection], None],
) -> date:
    """marts.fct_daily_metrics built (and tested) by dbt over the seeded messages; the
    Tuesday with the spike."""
    today = datetime.now(UTC).date()
    tuesday = check_tuesday(today)
    with psycopg.connect(database_url, autocommit=True) as conn:
        empty_landing(conn)
    bodies = seeded_deliveries(tuesday, today)
    land(database_url, [prepare_delivery(json.dumps(body).encode()) for body in bodies])
    tmp = tmp_path_factory.mktemp("dbt-alerts")
    run = run_dbt(database_url, tmp, "run", "--select", "+fct_daily_metrics")
    assert run.returncode == 0, run.stdout[-3000:]
    tested = run_dbt(database_url, tmp, "test", "--select", "fct_daily_metrics")
    assert tested.returncode == 0, tested.stdout[-3000:]
    return tuesday
