"""`crm demo`: the whole platform end to end on sample data, narrated step by step.

Database up and migrated → the API started as its own process → a few hundred people's
WhatsApp / Instagram / Messenger traffic sent to it as signed webhooks over HTTP → the
shop's orders and carts for the people who chatted their way to a buy → a CRM
contacts export and a billing export imported → the conversation engine over what landed
(knowledge base loaded, every message understood, recent ones answered in dry run) → the
pipeline run (hygiene, identity resolution, marts, models trained and leads scored) → the
sales and marketing flows called over HTTP like any client would → a summary.
Each step is a small function so a failure names the step; `run_demo()` answers True or
False and never raises.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import TypeVar

import orjson

from crm.demo import report
from crm.demo.commerce import Commerce, build_commerce
from crm.demo.contacts_csv import ContactsExport, write_contacts_csv
from crm.demo.server import api_process
from crm.demo.traffic import Traffic, build_traffic
from crm.demo.world import World, build_world
from crm.settings import get_settings

SEED = 7
PEOPLE = 300
STEPS = 9
INVOICED = 80  # people with an invoice in the billing export
FLOWS = (  # (method, path, body): what a scheduler or an operator calls after the pipeline
    ("POST", "payments/remind", {}),
    ("POST", "carts/recover", {}),
    ("POST", "nurturing/process", {}),
    ("GET", "alerts/check", None),
    ("POST", "content/generate", {"campaign": {"name": "Demo"}, "channels": ["facebook"]}),
)
KNOWLEDGE = Path(__file__).resolve().parent / "knowledge"
T = TypeVar("T")


def run_demo() -> bool:
    """Run every step; print what was built. False (with the reason) if a step fails."""
    print("Autonomous CRM demo: sample traffic → raw → dbt marts\n", flush=True)
    workdir = get_settings().crm_home / "demo"
    try:
        url = _step(1, "Database", ensure_database)
        world, traffic = _step(2, "Sample world", make_sample)
        with ExitStack() as api:  # one API process for the webhooks and the flows
            base = _step(3, "Webhooks over HTTP", lambda: send_traffic(api, url, traffic, workdir))
            _step(4, "Commerce webhooks over HTTP", lambda: send_orders(base, world))
            send_live_messages(base, world)
            export = _step(
                5, "Contacts and billing exports", lambda: import_exports(world, workdir)
            )
            _step(6, "Conversation engine", lambda: converse(url))
            ok = _step(7, "Pipeline", run_pipeline)
            _step(8, "Sales and marketing flows over HTTP", lambda: run_flows(base, url))
        _step(9, "What it built", lambda: report.print_summary(url, export))
    except Exception as error:  # the narrative has said which step; keep the CLI clean
        print(f"\ndemo failed: {type(error).__name__}: {error}", flush=True)
        return False
    report.print_where_next()
    return bool(ok)


def _step(number: int, title: str, action: Callable[[], T]) -> T:
    print(f"[{number}/{STEPS}] {title}", flush=True)
    started = time.perf_counter()
    result = action()
    print(f"      done in {time.perf_counter() - started:.1f}s\n", flush=True)
    return result


def ensure_database() -> str:
    """Resolve the database (starting the embedded server if needed) and migrate it."""
    from crm.database import database_url
    from crm.migrate import upgrade

    url = database_url()
    upgrade()
    print(f"  database  {report.redact(url)}  (migrated)")
    return url


def make_sample(seed: int = SEED, people: int = PEOPLE) -> tuple[World, Traffic]:
    """The seeded world and its deliveries; describe them briefly."""
    world = build_world(seed=seed, people=people)
    traffic = build_traffic(world)
    channels = Counter(m.channel for m in world.messages)
    languages = Counter(p.language for p in world.people)
    batched = sum(len(d.events) > 1 for d in traffic.deliveries)
    redelivered = len(traffic.deliveries) - len(traffic.originals)
    print(
        f"  {len(world.people)} people ({languages['es']} writing in Spanish, "
        f"{languages['en']} in English) from {len({p.country.code for p in world.people})} "
        f"countries, {sum(len(p.channels) > 1 for p in world.people)} on two channels"
    )
    print(
        f"  {len(world.messages)} messages over 30 days: "
        + ", ".join(f"{n} {c}" for c, n in channels.most_common())
    )
    print(
        f"  {len(traffic.deliveries)} deliveries: {batched} batched, {redelivered} redelivered "
        f"verbatim, {sum(traffic.expected_events().values())} distinct events"
    )
    return world, traffic


def send_traffic(api: ExitStack, database_url: str, traffic: Traffic, workdir: Path) -> str:
    """Start the API (kept in `api`), POST every delivery signed with the app secret."""
    from crm.demo.sender import send

    secret = get_settings().app_secret()
    base_url = api.enter_context(api_process(database_url, workdir / "api.log"))
    print(f"  API up at {base_url} (log: {workdir / 'api.log'})", flush=True)
    result = send(base_url, [d.body for d in traffic.deliveries], secret, concurrency=16)
    print(
        f"  {result.accepted} accepted, {result.failed} failed, {result.retries} retries, "
        f"{result.rate:,.0f} deliveries/s"
    )
    if result.failed:
        raise RuntimeError(f"{result.failed} deliveries were not accepted: {result.statuses}")
    return base_url


LIVE = {  # what a few people write right now, so the engine has something to answer
    "es": [
        "hola, cuanto cuesta el monitor vista 27?",
        "quiero hablar con una persona por favor",
        "el pedido llego roto, estoy muy molesto",
    ],
    "en": ["hi, do you accept Yappy?", "I want to buy 3 laptops today", "thanks, that's all!"],
}


def send_live_messages(base_url: str, world: World) -> None:
    """Six WhatsApp messages written now (the sample's traffic is days old, and the bot
    answers only recent messages), signed and posted like the rest."""
    from crm.demo.chat_payloads import whatsapp_text
    from crm.demo.sender import send

    writers = [p for p in world.people if p.channels[0] == "whatsapp" and p.phone.wa_id]
    bodies = []
    for language, texts in LIVE.items():
        people = [p for p in writers if p.language == language]
        for n, (person, text) in enumerate(zip(people, texts, strict=False)):
            wamid = f"wamid.demo-live-{language}-{n}"
            payload = whatsapp_text(wamid, person.phone.wa_id, text, name=person.full_name)
            bodies.append(orjson.dumps(payload))
    result = send(base_url, bodies, get_settings().app_secret(), progress=False)
    print(f"  and {result.accepted} live WhatsApp messages written just now\n", flush=True)


def send_orders(base_url: str, world: World) -> Commerce:
    """The shop's Shopify webhooks for the world, signed with the commerce secret, over HTTP."""
    from crm.demo.sender import send_commerce

    commerce = build_commerce(world)
    topics = commerce.topics()
    print(
        f"  {len(commerce.shoppers)} people opened checkouts, {len(commerce.buyers)} ordered: "
        f"{topics['orders/create']} orders, {topics['orders/cancelled']} cancelled, "
        f"{topics['refunds/create']} refunds; {len(commerce.deliveries)} deliveries "
        f"({len(commerce.deliveries) - len(commerce.originals)} redelivered)"
    )
    secret = get_settings().commerce_secret()
    result = send_commerce(base_url, commerce.deliveries, secret)
    print(f"  {result.accepted} accepted, {result.failed} failed, {result.retries} retries")
    if result.failed:
        raise RuntimeError(f"{result.failed} deliveries were not accepted: {result.statuses}")
    return commerce


def import_exports(world: World, workdir: Path) -> ContactsExport:
    """The CRM's contacts export and the billing system's invoices, landed in raw."""
    export = import_contacts_export(world, workdir)
    import_invoices_export(world, workdir)
    return export


def import_invoices_export(world: World, workdir: Path) -> None:
    """Invoices for some of the people, due around today: what payment reminders act on."""
    import random
    from datetime import date

    from crm.demo.invoices_csv import invoice_row, write_invoices_csv
    from ingestion.invoices import import_invoices

    rng, today = random.Random(SEED), date.today()
    people = rng.sample(world.people, min(INVOICED, len(world.people)))
    path = workdir / "invoices.csv"
    written = write_invoices_csv(
        (invoice_row(rng, p, n, today) for n, p in enumerate(people)), path
    )
    result = import_invoices(path)
    print(
        f"  wrote {path} ({written} invoices); imported: {result.inserted} new, "
        f"{result.unchanged} unchanged, {len(result.errors)} rejected"
    )


def import_contacts_export(world: World, workdir: Path) -> ContactsExport:
    """Write the CRM export CSV and land it in raw.contacts, reporting rejected lines."""
    from ingestion.contacts import import_contacts

    export = write_contacts_csv(world, workdir / "contacts_export.csv")
    print(
        f"  wrote {export.path} ({export.rows} rows, {export.duplicates} duplicated people, "
        f"{export.bad_rows} rows without external_id)"
    )
    result = import_contacts(export.path)
    for problem in result.errors:
        print(f"  rejected line {problem.line_number}: {problem.message}")
    print(
        f"  imported: {result.inserted} new, {result.unchanged} unchanged, "
        f"{len(result.errors)} rejected of {result.rows} rows"
    )
    return export


def converse(database_url: str) -> None:
    """Load the sample knowledge base and run the worker until the queue is empty.

    The sample spans 30 days: every message is understood (language, intent, sentiment,
    route), only the recent ones are answered; with no Meta token replies are `dry_run`.
    """
    import psycopg

    from crm.conversation.knowledge import import_knowledge
    from crm.conversation.worker import drain_queue

    with psycopg.connect(database_url) as conn:
        files, passages = import_knowledge(conn, KNOWLEDGE)
    print(f"  knowledge base: {passages} passages from {files} files ({KNOWLEDGE})", flush=True)
    processed = drain_queue(database_url, get_settings())
    print(f"  {processed} events processed by the worker")
    report.print_conversations(database_url)


def run_flows(base_url: str, database_url: str) -> None:
    """Call each flow's endpoint with the API key, then send (dry run) what they queued."""
    import httpx

    from crm.conversation.worker import drain_queue

    key = next(iter(sorted(get_settings().api_keys())))
    with httpx.Client(base_url=base_url + "/api/v1", headers={"X-API-Key": key}) as http:
        for method, path, body in FLOWS:
            response = http.request(method, path, json=body, timeout=300)
            response.raise_for_status()
            print(f"  {method} /api/v1/{path}: {report.flow_summary(path, response.json())}")
    drain_queue(database_url, get_settings())
    report.print_outbox(database_url)


def run_pipeline() -> bool:
    """Materialise every asset once (Dagster in-process: dbt staging → marts)."""
    from orchestration.pipeline import run_pipeline as run

    ok = run()
    print("  pipeline " + ("succeeded" if ok else "FAILED (see the lines above)"))
    return ok
