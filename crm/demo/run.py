"""`crm demo`: the whole platform end to end on sample data, narrated step by step.

Database up and migrated → the API started as its own process → a few hundred people's
WhatsApp / Instagram / Messenger traffic sent to it as signed webhooks over HTTP → a CRM
contacts export imported → the pipeline run → the marts summarised. Each step is a small
function so a failure names the step; `run_demo()` answers True or False and never raises.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from crm.demo import report
from crm.demo.contacts_csv import ContactsExport, write_contacts_csv
from crm.demo.server import api_process
from crm.demo.traffic import Traffic, build_traffic
from crm.demo.world import World, build_world
from crm.settings import get_settings

SEED = 7
PEOPLE = 300
T = TypeVar("T")


def run_demo() -> bool:
    """Run every step; print what was built. False (with the reason) if a step fails."""
    print("Autonomous CRM demo: sample traffic → raw → dbt marts\n", flush=True)
    workdir = get_settings().crm_home / "demo"
    try:
        url = _step(1, "Database", ensure_database)
        world, traffic = _step(2, "Sample world", make_sample)
        _step(3, "Webhooks over HTTP", lambda: send_traffic(url, traffic, workdir))
        export = _step(4, "Contacts export", lambda: import_export(world, workdir))
        ok = _step(5, "Pipeline", run_pipeline)
        _step(6, "What it built", lambda: report.print_summary(url, export))
    except Exception as error:  # the narrative has said which step; keep the CLI clean
        print(f"\ndemo failed: {type(error).__name__}: {error}", flush=True)
        return False
    report.print_where_next()
    return bool(ok)


def _step(number: int, title: str, action: Callable[[], T]) -> T:
    print(f"[{number}/6] {title}", flush=True)
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


def send_traffic(database_url: str, traffic: Traffic, workdir: Path) -> None:
    """Start the API, POST every delivery signed with the app secret, stop the API."""
    from crm.demo.sender import send

    secret = get_settings().app_secret()
    with api_process(database_url, workdir / "api.log") as base_url:
        print(f"  API up at {base_url} (log: {workdir / 'api.log'})", flush=True)
        result = send(base_url, [d.body for d in traffic.deliveries], secret, concurrency=16)
    print(
        f"  {result.accepted} accepted, {result.failed} failed, {result.retries} retries, "
        f"{result.rate:,.0f} deliveries/s"
    )
    if result.failed:
        raise RuntimeError(f"{result.failed} deliveries were not accepted: {result.statuses}")


def import_export(world: World, workdir: Path) -> ContactsExport:
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


def run_pipeline() -> bool:
    """Materialise every asset once (Dagster in-process: dbt staging → marts)."""
    from orchestration.pipeline import run_pipeline as run

    ok = run()
    print("  pipeline " + ("succeeded" if ok else "FAILED (see the lines above)"))
    return ok
