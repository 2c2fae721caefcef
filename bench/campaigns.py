"""Campaign flows benchmark: a month of shop traffic through the webhooks, the pipeline and
every campaign flow, then an audit of the rules from the database.

    DATABASE_URL=postgresql://localhost/scratch uv run python bench/campaigns.py
    DATABASE_URL=postgresql://localhost/scratch uv run python bench/campaigns.py --scale 0.05

At `--scale 1`: 10,000 checkouts (3,000 of them ordered, a few cancelled or refunded) from
4,000 people as signed Shopify-format webhooks, 2,000 invoices (`crm import invoices`), and
WhatsApp chats from a third of the people, some of whom write "STOP". It starts `crm
serve`, sends everything over HTTP, lets the conversation engine process the chats
(keyword models, dry run: nothing leaves the machine), builds the marts the flows read
(`dbt build` of fct_invoices, fct_carts, dim_customers, dim_leads and what they need),
then calls each campaign flow through its endpoint: payments/remind always (twice: the
second run must send nothing), nurturing/process and carts/recover when the app mounts
them. It prints the messages queued per flow and the rules audit: no message to anyone
after their opt-out, no free-form text outside the 24 h window (each outbox text against
the recipient's last inbound message), no reminder for an invoice already paid, no
reminder step twice; and each stage's time.
Prints, never asserts. What it sends is landed for real: use a scratch database.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import orjson
import psycopg

from crm.demo.chat_payloads import whatsapp_text
from crm.demo.commerce import CommerceDelivery, _buyer, _checkout
from crm.demo.invoices_csv import invoice_row, write_invoices_csv
from crm.demo.people import Person, make_person
from crm.demo.shopify_ids import Ids
from crm.settings import PROJECT_ROOT, get_settings

DAYS = 30
FULL = {"people": 4000, "carts": 10_000, "orders": 3000, "invoices": 2000}
CHAT_SHARE, OPT_OUT_SHARE, RECENT_SHARE = 0.35, 0.06, 0.25
CHAT_TEXTS = (
    "Hola, una consulta sobre mi pedido",
    "¿Tienen envío a domicilio?",
    "Gracias por la información",
    "Hi, is the laptop in stock?",
)
FLOWS = ("payments/remind", "nurturing/process", "carts/recover")


@dataclass
class Shop:
    """One generated month: who, what they chatted, bought and owe."""

    people: list[Person]
    chats: list[bytes] = field(default_factory=list)  # Meta WhatsApp deliveries (JSON)
    opted_out: set[str] = field(default_factory=set)  # wa_ids that wrote STOP
    commerce: list[CommerceDelivery] = field(default_factory=list)
    invoices: list[dict[str, str]] = field(default_factory=list)

    def counts(self) -> Counter[str]:
        topics = Counter(d.topic for d in self.commerce)
        return Counter(
            people=len(self.people),
            chat_messages=len(self.chats),
            opted_out=len(self.opted_out),
            carts=topics["checkouts/create"],
            orders=topics["orders/create"],
            invoices=len(self.invoices),
        )


def generate(scale: float, now: datetime, seed: int = 11) -> Shop:
    """A month of traffic: `FULL` times `scale` (deterministic for seed and now)."""
    rng = random.Random(seed)
    size = {key: max(5, round(value * scale)) for key, value in FULL.items()}
    shop = Shop([make_person(rng, i) for i in range(size["people"])])
    chatters = [p for p in shop.people if rng.random() < CHAT_SHARE]
    for n, person in enumerate(chatters):
        _chat(rng, shop, person, n, now)

    def customer() -> Person:  # half the shop's customers also chat (and some opted out)
        return rng.choice(chatters if chatters and rng.random() < 0.5 else shop.people)

    ids = Ids(f"bench-campaigns-{seed}")
    for n in range(size["carts"]):
        person = customer()
        at = (now - timedelta(seconds=rng.uniform(600, DAYS * 86400))).replace(microsecond=0)
        deliveries = _checkout(rng, ids, _buyer(rng, ids, person), at, n < size["orders"])
        shop.commerce += [d for d in deliveries if d.at < now]
    shop.commerce.sort(key=lambda d: d.at)
    today = now.date()
    for n in range(size["invoices"]):
        shop.invoices.append(invoice_row(rng, customer(), n, today))
    return shop


def _chat(rng: random.Random, shop: Shop, person: Person, n: int, now: datetime) -> None:
    """One to three WhatsApp messages; a share end with STOP, a share in the last day."""
    recent = rng.random() < RECENT_SHARE
    last = now - timedelta(hours=rng.uniform(0.5, 20) if recent else rng.uniform(30, DAYS * 24))
    count = rng.choice((1, 2, 3))
    for k in range(count):
        at = last - timedelta(hours=(count - 1 - k) * rng.uniform(0.1, 3))
        stop = k == count - 1 and rng.random() < OPT_OUT_SHARE
        text = "STOP" if stop else rng.choice(CHAT_TEXTS)
        wamid = f"wamid.benchcampaigns.{n}.{k}"
        body = whatsapp_text(wamid, person.phone.wa_id, text, at.timestamp(), person.full_name)
        shop.chats.append(orjson.dumps(body))
        if stop:
            shop.opted_out.add(person.phone.wa_id)


OPT_OUT_BREACHES_SQL = """
select count(*) from app.outbox o
join app.opt_outs x on x.channel = o.channel and x.person_id = o.recipient_id
where o.created_at > x.opted_out_at and o.purpose <> 'opt_out'
"""
WINDOW_BREACHES_SQL = """
select count(*) from app.outbox o
where o.kind in ('text', 'interactive')
  and coalesce((
      select max(e.occurred_at) from raw.channel_events e
      where e.channel = o.channel and e.person_id = o.recipient_id
        and e.direction = 'inbound' and e.event_type = 'message'
        and e.occurred_at <= o.created_at
  ), '-infinity') < o.created_at - interval '24 hours'
"""
PAID_BEFORE_SQL = """
select count(*) from app.outbox o
cross join lateral (
    select i.paid_at from raw.invoices i
    where i.invoice_number = split_part(o.idempotency_key, ':', 2)
      and i.loaded_at <= o.created_at
    order by i.loaded_at desc, i.id desc limit 1
) known
where o.purpose = 'payment_reminder' and known.paid_at is not null
"""
REPEATED_STEPS_SQL = """
select count(*) from (
    select split_part(idempotency_key, ':', 2), split_part(idempotency_key, ':', 3)
    from app.outbox where purpose = 'payment_reminder'
    group by 1, 2 having count(*) > 1
) repeated
"""


def audit(conn: psycopg.Connection) -> dict[str, int]:
    """Rule breaches found in the database (each should be 0)."""
    return {
        "messages after an opt-out": conn.execute(OPT_OUT_BREACHES_SQL).fetchone()[0],
        "free-form texts outside the 24 h window": conn.execute(WINDOW_BREACHES_SQL).fetchone()[0],
        "reminders for invoices already paid": conn.execute(PAID_BEFORE_SQL).fetchone()[0],
        "reminder steps sent twice": conn.execute(REPEATED_STEPS_SQL).fetchone()[0],
    }


def queued_by_flow(conn: psycopg.Connection, since: datetime) -> dict[tuple[str, str], int]:
    """Outbox rows created since `since`, by purpose and kind."""
    rows = conn.execute(
        "select purpose, kind, count(*) from app.outbox where created_at >= %s"
        " group by 1, 2 order by 1, 2",
        (since,),
    ).fetchall()
    return {(purpose, kind): count for purpose, kind, count in rows}


class Stages:
    """Times each stage and prints it as it ends."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        print(f"- {name} ...", flush=True)
        started = time.perf_counter()
        yield
        self.seconds[name] = time.perf_counter() - started
        print(f"  done in {self.seconds[name]:.1f} s", flush=True)


def _crm(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """The `crm` command, as a user runs it."""
    command = [sys.executable, "-m", "crm.cli", *args]
    return subprocess.run(command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True)


def _dbt_build(url: str, workdir: Path) -> subprocess.CompletedProcess[str]:
    """`dbt build` of the marts the flows read and everything they need."""
    from crm.database import dbt_env

    project = PROJECT_ROOT / "dbt_project"
    selection = ["+fct_invoices", "+fct_carts", "+dim_customers", "+dim_leads"]
    command = [str(Path(sys.executable).with_name("dbt")), "build", "--select", *selection]
    command += ["--indirect-selection", "buildable", "--project-dir", str(project)]
    command += ["--profiles-dir", str(project), "--target-path", str(workdir / "target")]
    command += ["--log-path", str(workdir / "logs")]
    env = os.environ | dbt_env(url)
    return subprocess.run(command, env=env, capture_output=True, text=True, check=False)


def _call_flows(base: str, key: str) -> dict[str, dict]:
    """POST each flow the app mounts; its JSON answer (None when the route is absent)."""
    answers: dict[str, dict] = {}
    with httpx.Client(base_url=base, headers={"X-API-Key": key}, timeout=600) as http:
        for flow in FLOWS:
            started = time.perf_counter()
            response = http.post(f"/api/v1/{flow}", json={})
            if response.status_code == 404:
                print(f"  {flow}: not mounted (404), skipped")
                continue
            response.raise_for_status()
            answers[flow] = response.json()
            took = time.perf_counter() - started
            print(f"  {flow} ({took:.1f} s): {_summary(answers[flow])}")
        started = time.perf_counter()
        again = http.post("/api/v1/payments/remind", json={}).json()
        took = time.perf_counter() - started
        print(f"  payments/remind, second run ({took:.1f} s): {again['sent']} sent (expected 0)")
    return answers


def _summary(answer: dict) -> str:
    if "by_reason" in answer:
        return f"{answer['sent']} sent; " + ", ".join(
            f"{n} {r}" for r, n in sorted(answer["by_reason"].items())
        )
    actions = Counter(a["action"] for a in answer.get("actions", []))
    return ", ".join(f"{n} {action}" for action, n in actions.most_common()) or "nothing to do"


def run(scale: float, workdir: Path) -> None:
    """Every stage against the configured database; prints what each did."""
    from crm.conversation.worker import drain_queue
    from crm.database import database_url
    from crm.demo.sender import send, send_commerce
    from crm.demo.server import api_process
    from crm.migrate import upgrade

    stages, url, now = Stages(), database_url(), datetime.now(UTC).replace(microsecond=0)
    settings = get_settings().model_copy(update=DRY_RUN)
    with stages.stage(f"generate a month of traffic (scale {scale})"):
        shop = generate(scale, now)
        print("  " + ", ".join(f"{n:,} {what}" for what, n in shop.counts().items()))
    upgrade()
    env = os.environ | {"DATABASE_URL": url}
    with api_process(url, workdir / "api.log") as base:
        with stages.stage("WhatsApp chats over HTTP (signed Meta webhooks)"):
            report = send(base, shop.chats, settings.app_secret(), progress=False)
            print(f"  {report.accepted:,} accepted, {report.failed} failed")
        with stages.stage("Shopify webhooks over HTTP (checkouts, orders, refunds)"):
            report = send_commerce(base, shop.commerce, settings.commerce_secret(), progress=False)
            print(f"  {report.accepted:,} accepted, {report.failed} failed")
        with stages.stage("crm import invoices"):
            write_invoices_csv(shop.invoices, workdir / "invoices.csv")
            done = _crm("import", "invoices", str(workdir / "invoices.csv"), env=env)
            print("  " + (done.stdout.strip() or done.stderr.strip()[-500:]))
        with stages.stage("conversation engine: process the chats (opt-outs, replies)"):
            print(f"  {drain_queue(url, settings):,} events processed")
        with stages.stage("dbt build of the marts the flows read"):
            built = _dbt_build(url, workdir)
            print("  " + (built.stdout.strip().splitlines() or ["no output"])[-1])
        flows_started = datetime.now(UTC)
        with stages.stage("campaign flows through their endpoints"):
            _call_flows(base, next(iter(settings.api_keys())))
    _report(url, flows_started, stages)


DRY_RUN = {  # nothing leaves the machine, and the engine uses its fixed local rules
    "whatsapp_access_token": None,
    "messenger_access_token": None,
    "instagram_access_token": None,
    "escalation_webhook_url": None,
    "conversation_text_models": "keywords",
}


def _report(url: str, since: datetime, stages: Stages) -> None:
    with psycopg.connect(url) as conn:
        print("\nmessages queued by the flows (purpose, kind):")
        for (purpose, kind), count in queued_by_flow(conn, since).items():
            print(f"  {purpose:<20} {kind:<10} {count:>7,}")
        print("\nrules audit over the whole outbox (each should be 0):")
        for rule, breaches in audit(conn).items():
            print(f"  {rule:<42} {breaches:>5}")
    print("\ntime per stage:")
    for name, seconds in stages.seconds.items():
        print(f"  {name:<62} {seconds:7.1f} s")
    print(f"  {'total':<62} {sum(stages.seconds.values()):7.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1: 10k carts, 2k invoices")
    args = parser.parse_args()
    workdir = get_settings().crm_home / "bench" / "campaigns"
    workdir.mkdir(parents=True, exist_ok=True)
    run(args.scale, workdir)


if __name__ == "__main__":
    main()
