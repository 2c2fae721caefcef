"""GET / and GET /health, including a database that cannot be reached."""

from __future__ import annotations

import httpx
import psycopg


def test_root_names_the_service_and_links_the_docs(client) -> None:
    body = client.get("/").json()
    assert body["name"] == "Autonomous CRM"
    assert body["version"]
    assert body["links"]["docs"] == "/docs"
    assert client.get(body["links"]["docs"]).status_code == 200
    assert client.get(body["links"]["openapi"]).status_code == 200


def test_health_reports_the_database_and_no_run_yet(client) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["reachable"] is True
    assert body["latest_pipeline_run"] is None


def test_health_reports_the_latest_pipeline_run(client, db) -> None:
    with psycopg.connect(db) as conn:
        conn.execute(
            "insert into app.pipeline_runs (run_id, status, started_at, finished_at) values "
            "('old', 'success', now() - interval '2 hours', now() - interval '1 hour'), "
            "('new', 'failure', now() - interval '10 minutes', now())"
        )
    run = client.get("/health").json()["latest_pipeline_run"]
    assert (run["run_id"], run["status"]) == ("new", "failure")


def test_health_is_503_when_the_database_is_down(tmp_path, start_app, unused_port) -> None:
    closed = f"postgresql://postgres@127.0.0.1:{unused_port}/crm"
    env = {"DATABASE_URL": closed, "CRM_HOME": str(tmp_path), "META_APP_SECRET": "x"}
    with start_app(env, tmp_path / "server.log") as base:
        response = httpx.get(base + "/health", timeout=10)
        assert response.status_code == 503
        body = response.json()
        assert body["status"] == "unavailable"
        assert body["database"]["reachable"] is False
        assert body["error"]["code"] == "database_unavailable"
        assert "Traceback" not in response.text
        assert httpx.get(base + "/", timeout=5).status_code == 200


def test_the_benchmark_baseline_is_not_mounted_by_default(database_url: str) -> None:
    from fastapi.testclient import TestClient

    from api.main import create_app

    http = TestClient(create_app())  # no lifespan needed: routing alone answers these
    assert http.post("/api/v1/webhooks/_bare", content=b"{}").status_code == 404
    assert http.get("/api/v1/webhooks/inbound", params={"hub.mode": "x"}).status_code == 403
