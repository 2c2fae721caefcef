"""The hygiene and enrichment assets materialised by Dagster on real PostgreSQL.

One Dagster run (the two marts and everything upstream, checks included; the ML assets
are not upstream, so they are left out) over a small known world serves the module: three
imported contacts, two WhatsApp senders who are two of those contacts (Panama local
number, Mexican 521 wa_id) and one Instagram sender; the figures asserted follow from it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import dagster as dg
import httpx
import psycopg
import pytest

from orchestration.defs.hygiene import DATA_QUALITY

LEAD_ENRICHMENT = dg.AssetKey(["marts", "dim_lead_enrichment"])

CSV = (
    "external_id,full_name,email,phone,country\n"
    "C-1,Sr. Juan Pérez García,Juan.Perez+crm@GMAIL.com,6123-4567,Panamá\n"
    "C-2,Ana López,ana.lopez@grupo-alfa.com.mx,55 1234 5678,México\n"
    "C-3,Pedro,pedro@@x,n/a,PA\n"
)
SENT_AT = 1_767_225_600  # 2026-01-01T00:00:00Z


def _whatsapp(n: int, wa_id: str, name: str, text: str) -> dict:
    return {"object": "whatsapp_business_account", "entry": [{"id": "WABA1", "changes": [{
        "field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "15550001111", "phone_number_id": "PNID1"},
            "contacts": [{"profile": {"name": name}, "wa_id": wa_id}],
            "messages": [{"from": wa_id, "id": f"wamid.HYG{n}", "type": "text",
                          "timestamp": str(SENT_AT + n), "text": {"body": text}}],
        }}]}]}  # fmt: skip


def _instagram(n: int, sender: str, text: str) -> dict:
    return {"object": "instagram", "entry": [{"id": "IG1", "time": SENT_AT * 1000, "messaging": [{
        "sender": {"id": sender}, "recipient": {"id": "IG1"}, "timestamp": (SENT_AT + n) * 1000,
        "message": {"mid": f"mid.hyg.{n}", "text": text}}]}]}  # fmt: skip


DELIVERIES = [
    _whatsapp(1, "50761234567", "Juan Pérez 😊", "Hola, buenas tardes, quisiera saber el precio"),
    _whatsapp(2, "5215512345678", "Dra. Ana López", "Hola, ¿tienen envíos a Monterrey?"),
    _instagram(3, "IG-1", "Hi! Is the blue one still in stock?"),
]


@dataclass
class Built:
    url: str
    checks: dict[str, bool]  # check name -> passed, from the run's event log


def _run_upstream_of(*keys: dg.AssetKey) -> dg.ExecuteInProcessResult:
    """Materialise `keys` and everything upstream (with their checks) in one Dagster run."""
    from orchestration.definitions import defs

    selection = dg.AssetSelection.assets(*keys).upstream().required_multi_asset_neighbors()
    job = dg.define_asset_job("hygiene_test", selection=selection)
    merged = dg.Definitions.merge(defs, dg.Definitions(jobs=[job]))
    return merged.resolve_job_def("hygiene_test").execute_in_process(
        instance=dg.DagsterInstance.ephemeral()
    )


@pytest.fixture(scope="module")
def built(
    database_url: str,
    land_contacts_and_chats: Callable[[str, list[dict]], None],
    check_outcomes: Callable[[dg.ExecuteInProcessResult], dict[str, bool]],
) -> Built:
    """Land the world, then materialise the data-quality and enrichment marts once."""
    land_contacts_and_chats(CSV, DELIVERIES)
    result = _run_upstream_of(DATA_QUALITY, LEAD_ENRICHMENT)
    assert result.success
    return Built(database_url, check_outcomes(result))


def _rows(url: str, query: str) -> list[tuple]:
    with psycopg.connect(url) as conn:
        return conn.execute(query).fetchall()


def test_every_identity_is_cleaned_once(built: Built) -> None:
    rows = _rows(built.url, "select source, source_id from ml.clean_identities order by 1, 2")
    assert rows == [
        ("import", "C-1"), ("import", "C-2"), ("import", "C-3"),
        ("instagram", "IG-1"), ("whatsapp", "50761234567"), ("whatsapp", "5215512345678"),
    ]  # fmt: skip


def test_channel_and_import_phones_meet_on_one_key(built: Built) -> None:
    rows = _rows(
        built.url,
        "select phone_key, array_agg(source order by source) from ml.clean_identities"
        " where phone_key is not null group by 1 order by 1",
    )
    assert rows == [
        ("50761234567", ["import", "whatsapp"]),
        ("525512345678", ["import", "whatsapp"]),
    ]


def test_fixes_and_issues_are_stored_as_json_lists(built: Built) -> None:
    [(fixes, issues)] = _rows(
        built.url, "select fixes, issues from ml.clean_identities where source_id = 'C-3'"
    )
    assert isinstance(fixes, list)
    assert {"field": "phone", "problem": "not_a_phone"} in issues


def test_data_quality_mart_has_the_known_figures(built: Built) -> None:
    rows = _rows(
        built.url,
        "select source, identity_count, phone_count, valid_phone_share::float, email_count,"
        " valid_email_share::float, duplicate_count, incomplete_count"
        " from marts.fct_data_quality order by source",
    )
    assert rows == [
        ("all", 6, 5, 0.8, 3, 0.6667, 4, 2),
        ("import", 3, 3, 0.6667, 3, 0.6667, 2, 1),
        ("instagram", 1, 0, None, 0, None, 0, 1),
        ("whatsapp", 2, 2, 1.0, 0, None, 2, 0),
    ]


def test_quality_checks_warn_below_their_floors_without_failing_the_run(built: Built) -> None:
    assert built.checks["valid_phone_share_above_floor"] is True  # 0.8 >= 0.8
    assert built.checks["valid_email_share_above_floor"] is False  # 0.6667 < 0.8
    assert built.checks["duplicate_share_below_ceiling"] is False  # 0.6667 > 0.5


def test_rematerialising_hygiene_replaces_the_table(built: Built) -> None:
    from orchestration.defs.hygiene import clean_identities
    from orchestration.defs.resources import build_resources

    result = dg.materialize([clean_identities], resources=build_resources())
    [event] = result.get_asset_materialization_events()
    metadata = event.materialization.metadata
    assert metadata["dagster/row_count"].value == 6
    assert metadata["valid_phone_share"].value == 0.8
    assert _rows(built.url, "select count(*) from ml.clean_identities") == [(6,)]


def test_lead_enrichment_mart_joins_phone_language_company_and_touches(built: Built) -> None:
    # asserted per identity's lead, with values that hold whether or not identity
    # resolution merged the WhatsApp senders with the imports that share their phone keys
    rows = _rows(
        built.url,
        "select identities.source_id, e.country_code, e.time_zone, e.contact_window_utc,"
        " e.language, e.company, e.first_touch_channel"
        " from marts.dim_lead_enrichment as e"
        " join intermediate.int_leads_resolved as identities on identities.lead_id = e.lead_id"
        " where identities.source_id in ('50761234567', 'C-2', 'IG-1')",
    )
    by_identity = {row[0]: row[1:] for row in rows}
    panama, mexico, instagram = by_identity["50761234567"], by_identity["C-2"], by_identity["IG-1"]
    assert panama == ("PA", "America/Panama", "14:00-23:00", "es", None, "whatsapp")
    assert mexico[:5] == ("MX", "America/Mexico_City", "15:00-00:00", "es", "Grupo Alfa")
    assert instagram == (None, None, None, "en", None, "instagram")


def test_enrich_api_serves_a_lead_from_the_marts(built: Built, api_client: httpx.Client) -> None:
    [(lead_id,)] = _rows(
        built.url,
        "select lead_id from intermediate.int_leads_resolved where source_id = '50761234567'",
    )
    response = api_client.post("/api/v1/data/enrich", json={"lead_id": lead_id})
    assert response.status_code == 200, response.text
    enrichment = response.json()["enrichment"]
    assert response.json()["lead_id"] == lead_id
    assert (enrichment["time_zone"], enrichment["language"]) == ("America/Panama", "es")
    assert enrichment["first_touch_channel"] == "whatsapp"
    assert enrichment["contact_hours"]["utc_offset"] == "-05:00"
