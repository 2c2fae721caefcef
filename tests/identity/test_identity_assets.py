"""Identity resolution materialised by Dagster on real PostgreSQL, read back from the marts.

dbt builds staging and `int_identities`, Dagster materialises the hygiene and identity
assets (with their checks), dbt builds the lead marts; the ML and conversation assets are
neither needed nor run. A small known world: three imported contacts and three WhatsApp
senders. Juan writes from the number his import holds in national form; Ana's Mexican
`521` wa_id and her import's `55 1234 5678` are one number; Carlos's WhatsApp shares
nothing certain with anyone. The first run merges Juan's and Ana's identities; a second
run, after a person rejects the Ana pair, keeps every lead id and splits only Ana.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import dagster as dg
import psycopg
import pytest

from ingestion.contacts import import_contacts
from ingestion.identity.lead_ids import first_lead_id
from ingestion.landing import land, prepare_delivery

LEAD_MARTS = "+dim_leads +map_identity +map_lead_id_history +identity_review_queue"
CSV = (
    "external_id,first_name,last_name,email,phone,country\n"
    "C-1,Juan,Pérez García,juan.perez@gmail.com,6123-4567,Panamá\n"
    "C-2,Ana,López,ana.lopez@grupo-alfa.com.mx,55 1234 5678,México\n"
    "C-3,Pedro,Soto,pedro.soto@x.com,6999-8888,PA\n"
)
SENT_AT = 1_767_225_600  # 2026-01-01T00:00:00Z


def _whatsapp(n: int, wa_id: str, name: str) -> dict:
    return {"object": "whatsapp_business_account", "entry": [{"id": "WABA1", "changes": [{
        "field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "15550001111", "phone_number_id": "PNID1"},
            "contacts": [{"profile": {"name": name}, "wa_id": wa_id}],
            "messages": [{"from": wa_id, "id": f"wamid.IDN{n}", "type": "text",
                          "timestamp": str(SENT_AT + n), "text": {"body": "Hola"}}],
        }}]}]}  # fmt: skip


DELIVERIES = [
    _whatsapp(1, "50761234567", "Juan 😊"),
    _whatsapp(2, "5215512345678", "Ana López"),
    _whatsapp(3, "50766665555", "Carlos Ruiz"),
]


def _resolve(dbt) -> dict[str, bool]:
    """dbt up to the identities, the hygiene and identity assets, dbt's lead marts; the
    identity checks' results (check name -> passed)."""
    from orchestration.defs.hygiene import clean_identities
    from orchestration.defs.identity import identity_checks, identity_resolution
    from orchestration.defs.resources import CrmDatabase

    dbt("build", "--select", "+int_identities +stg_crm__contacts")
    result = dg.materialize(
        [clean_identities, identity_resolution, *identity_checks],
        resources={"database": CrmDatabase()},
        instance=dg.DagsterInstance.ephemeral(),
    )
    assert result.success
    dbt("build", "--select", LEAD_MARTS, "--indirect-selection", "cautious")
    return {
        event.event_specific_data.check_name: event.event_specific_data.passed
        for event in result.all_events
        if event.event_type == dg.DagsterEventType.ASSET_CHECK_EVALUATION
    }


def _leads(url: str) -> dict[str, str]:
    with psycopg.connect(url) as conn:
        rows = conn.execute("select source, source_id, lead_id from marts.map_identity").fetchall()
    return {f"{source}:{source_id}": lead_id for source, source_id, lead_id in rows}


@pytest.fixture(scope="module")
def runs(
    database_url: str,
    empty_landing: Callable[[psycopg.Connection], None],
    tmp_path_factory: pytest.TempPathFactory,
    dbt: Callable[..., None],
) -> dict:
    """Land the world, run, reject Ana's pair, run again; what each run left behind."""
    with psycopg.connect(database_url, autocommit=True) as conn:
        empty_landing(conn)
    csv = tmp_path_factory.mktemp("csv") / "contacts.csv"
    csv.write_text(CSV, encoding="utf-8")
    import_contacts(csv)
    land(database_url, [prepare_delivery(json.dumps(body).encode()) for body in DELIVERIES])
    first_checks = _resolve(dbt)
    first = _leads(database_url)
    with psycopg.connect(database_url) as conn:
        dim_leads = conn.execute(
            "select lead_id, display_name, phone_e164, email, identity_count from marts.dim_leads"
        ).fetchall()
        reasons = conn.execute(
            "select match_rule, match_reasons from marts.map_identity where source_id = 'C-1'"
        ).fetchone()
        conn.execute(
            "insert into app.identity_decisions (record_a, record_b, decision) "
            "values ('import:C-2', 'whatsapp:5215512345678', 'reject')"
        )
    second_checks = _resolve(dbt)
    return {
        "first": first, "second": _leads(database_url), "checks": [first_checks, second_checks],
        "dim_leads": {row[0]: row[1:] for row in dim_leads}, "reasons": reasons,
    }  # fmt: skip


def test_identities_sharing_a_phone_key_become_one_lead(runs: dict) -> None:
    leads = runs["first"]
    assert leads["import:C-1"] == leads["whatsapp:50761234567"]
    assert leads["import:C-2"] == leads["whatsapp:5215512345678"]
    assert len(set(leads.values())) == 4  # Juan, Ana, Pedro, Carlos


def test_the_surviving_id_is_the_oldest_identitys_first_id(runs: dict) -> None:
    juan = runs["first"]["import:C-1"]
    assert juan in {first_lead_id("import:C-1"), first_lead_id("whatsapp:50761234567")}
    assert runs["first"]["whatsapp:50766665555"] == first_lead_id("whatsapp:50766665555")


def test_the_golden_record_takes_the_most_complete_name_and_the_valid_phone(runs: dict) -> None:
    name, phone, email, identities = runs["dim_leads"][runs["first"]["import:C-1"]]
    assert (name, phone, email, identities) == (
        "Juan Pérez García", "+50761234567", "juan.perez@gmail.com", 2,
    )  # fmt: skip


def test_map_identity_explains_the_merge(runs: dict) -> None:
    rule, reasons = runs["reasons"]
    assert rule == "same_phone"
    assert reasons == ["same_phone with whatsapp:50761234567"]


def test_a_rejection_splits_the_pair_and_keeps_every_other_lead_id(runs: dict) -> None:
    first, second = runs["first"], runs["second"]
    assert second["import:C-2"] != second["whatsapp:5215512345678"]
    assert first["import:C-2"] in {second["import:C-2"], second["whatsapp:5215512345678"]}
    unchanged = set(first) - {"import:C-2", "whatsapp:5215512345678"}
    assert {key: second[key] for key in unchanged} == {key: first[key] for key in unchanged}


def test_the_identity_checks_pass_on_both_runs(runs: dict) -> None:
    for checks in runs["checks"]:
        assert checks["no_lead_id_lost"] is True
        assert checks["no_chained_leads"] is True
