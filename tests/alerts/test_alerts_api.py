"""`GET /api/v1/alerts/check` through the running app over a daily-metrics mart that dbt
built from landed messages: the Tuesday spike and the silent channel are raised once,
with evidence; the weekly rhythm is not; deliveries are signed and retried. The Dagster
job runs the same check on its own."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import date, timedelta

import dagster as dg
import httpx
import psycopg
import pytest
from conftest import ALERT_SECRET, SPIKE, WEEKS, Receiver

from orchestration.defs.alerts import alert_check
from orchestration.defs.resources import CrmDatabase


@pytest.fixture(scope="module", autouse=True)
def warm(api: str) -> None:
    """One first request with a long timeout: on a busy host the app's first requests
    compete with the champions loading in the background, past the client's 10 s."""
    httpx.get(f"{api}/api/v1/alerts/check", headers={"X-API-Key": "test-api-key"}, timeout=300)


def check(api_client: httpx.Client, day: date) -> dict:
    response = api_client.get("/api/v1/alerts/check", params={"day": day.isoformat()})
    assert response.status_code == 200, response.text
    return response.json()


def by_metric(result: dict) -> dict[tuple[str, str], dict]:
    return {(alert["metric"], alert["dimension"]): alert for alert in result["alerts"]}


def test_the_tuesday_spike_is_flagged_with_its_evidence(seeded_metrics, api_client) -> None:
    alert = by_metric(check(api_client, seeded_metrics))[("message_volume", "whatsapp")]
    assert alert["direction"] == "high" and alert["value"] == SPIKE
    assert alert["expected_low"] < 20 < alert["expected_high"] < SPIKE
    history = alert["evidence"]["history"]
    assert len(history) == WEEKS and alert["evidence"]["median"] == 20
    assert {date.fromisoformat(point["day"]).weekday() for point in history} == {1}
    assert "Tuesday" in alert["message"]


def test_the_silent_channel_is_flagged(seeded_metrics, api_client) -> None:
    alerts = by_metric(check(api_client, seeded_metrics))
    silent = alerts[("channel_silent", "instagram")]
    assert silent["value"] == 0 and silent["evidence"]["median"] == 8
    assert ("message_volume", "instagram") not in alerts


def test_the_weekly_rhythm_raises_nothing(seeded_metrics, api_client) -> None:
    for back in (2, 3):  # the Sunday (6 messages) and Saturday (12) before the spike
        result = check(api_client, seeded_metrics - timedelta(days=back))
        assert result["series_checked"] >= 2 and result["alerts"] == []


def test_a_second_check_raises_nothing_new(seeded_metrics, api_client, database_url: str) -> None:
    first = check(api_client, seeded_metrics)
    second = check(api_client, seeded_metrics)
    assert second["new_alerts"] == 0 and not any(alert["new"] for alert in second["alerts"])
    assert [a["alert_id"] for a in second["alerts"]] == [a["alert_id"] for a in first["alerts"]]
    with psycopg.connect(database_url) as conn:
        count = conn.execute(
            "select count(*) from app.alerts where metric_day = %s", (seeded_metrics,)
        ).fetchone()[0]
    assert count == len(first["alerts"]) == 2


def test_alerts_are_posted_signed_and_retried(
    seeded_metrics, api_client, receiver: Receiver, database_url: str
) -> None:
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("truncate app.alerts")
    receiver.reset(500)  # the first delivery fails once, then goes through
    result = check(api_client, seeded_metrics)
    assert result["new_alerts"] == 2 and result["delivered"] == 2
    assert len(receiver.received) == 3
    for headers, body in receiver.received:
        expected = "sha256=" + hmac.new(ALERT_SECRET.encode(), body, hashlib.sha256).hexdigest()
        assert hmac.compare_digest(headers["X-CRM-Signature-256"], expected)
        assert json.loads(body)["event"] == "alert.raised"
    assert receiver.received[0][1] == receiver.received[1][1]  # the retry sent the same alert
    with psycopg.connect(database_url) as conn:
        rows = conn.execute(
            "select delivery_status, delivery_attempts from app.alerts order by alert_id"
        ).fetchall()
    assert rows == [("sent", 2), ("sent", 1)]


def test_a_bad_day_names_the_field(api_client) -> None:
    response = api_client.get("/api/v1/alerts/check", params={"day": "last tuesday"})
    assert response.status_code == 422 and response.json()["error"]["field"] == "query.day"


def test_the_dagster_job_checks_yesterday(seeded_metrics) -> None:
    with dg.DagsterInstance.ephemeral() as instance:
        result = alert_check.execute_in_process(
            resources={"database": CrmDatabase()}, instance=instance
        )
    assert result.success
    (materialization,) = [
        event for event in result.all_events if event.event_type_value == "STEP_OUTPUT"
    ]
    metadata = materialization.event_specific_data.metadata
    assert metadata["day"].value == (date.today() - timedelta(days=1)).isoformat()
    assert metadata["series_checked"].value >= 2
