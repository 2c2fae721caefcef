"""POST /api/v1/nurturing/process over real HTTP, with the shipped sequences."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from campaign_world import insert

from crm.campaigns.sequences import in_holdout


def treated(prefix: str, sequence: str, count: int = 1) -> list[str]:
    """Lead ids that the sequence's 20 % hold-out does not take (the split is a hash)."""
    found = (f"{prefix}-{n}" for n in range(100))
    return [x for x in found if not in_holdout(x, sequence, 0.2)][:count]


def test_process_enrols_by_rule_sends_what_is_due_and_counts_it(conn, lead, client, outbox):
    now = datetime.now(UTC)
    (warm,) = treated("warm", "warm_price_inquiry")
    (cold,) = treated("cold", "cold_reengagement")
    lead(warm, tier="warm", intent="price_inquiry", last_inbound_at=now - timedelta(hours=1))
    lead(cold, tier="cold", last_inbound_at=now - timedelta(days=20), name="Luis Ruiz")
    lead("hot-1", tier="hot", intent="purchase_intent")

    dry = client.post("/api/v1/nurturing/process", json={"dry_run": True})
    assert dry.status_code == 200, dry.text
    assert dry.json()["dry_run"] is True
    assert (outbox(), conn.execute("select * from app.campaign_enrollments").fetchall()) == (
        [],
        [],
    )

    response = client.post("/api/v1/nurturing/process", json={})
    assert response.status_code == 200, response.text
    counts = {c["sequence"]: c for c in response.json()["sequences"]}
    assert {name: (c["enrolled"], c["sent"]) for name, c in counts.items()} == {
        "cold_reengagement": (1, 1),  # first step right away
        "warm_price_inquiry": (1, 0),  # first step 2 h after enrolment
    }

    def summary(body: dict) -> list[tuple]:
        return [(a["lead_id"], a["action"], a["step"], a["kind"]) for a in body["actions"]]

    assert summary(response.json()) == summary(dry.json())  # the dry run foretold it
    (sent,) = outbox()
    assert (sent[0], sent[2], sent[3]) == (cold, "template", f"cold_reengagement:{cold}:1")
    assert sent[4]["template"]["name"] == "reengagement"

    again = client.post("/api/v1/nurturing/process", json={})
    assert [c["sent"] + c["enrolled"] for c in again.json()["sequences"]] == [0, 0]
    assert len(outbox()) == 1


def test_an_opted_out_lead_is_exited_and_counted(conn, lead, client, outbox) -> None:
    (warm,) = treated("warm", "warm_price_inquiry")
    lead(warm, tier="warm", intent="price_inquiry")
    client.post("/api/v1/nurturing/process", json={"sequences": ["warm_price_inquiry"]})
    insert(conn, "app.opt_outs", channel="whatsapp", person_id="x", lead_id=warm)
    conn.execute("update app.campaign_enrollments set next_due_at = now() - interval '1 minute'")
    response = client.post("/api/v1/nurturing/process", json={"sequences": ["warm_price_inquiry"]})
    assert response.json()["sequences"][0]["exited"] == {"opted_out": 1}
    assert outbox() == []
