"""The shared database module: migrations applied, URL shapes dbt understands."""

import psycopg
import pytest

from crm import database


def test_migrations_create_landing_tables(db: str) -> None:
    with psycopg.connect(db) as conn:
        rows = conn.execute(
            "select table_schema || '.' || table_name from information_schema.tables "
            "where table_schema in ('raw', 'app') order by 1"
        ).fetchall()
    assert {r[0] for r in rows} >= {
        "raw.channel_events",
        "raw.webhook_deliveries",
        "raw.contacts",
        "app.pipeline_runs",
    }


def test_dbt_env_splits_socket_urls() -> None:
    env = database.dbt_env("postgresql://postgres:@/crm?host=/tmp/sock")
    assert env["CRM_PG_HOST"] == "/tmp/sock"
    assert env["CRM_PG_DBNAME"] == "crm"


def test_dbt_env_decodes_escaped_parts_and_keeps_sslmode() -> None:
    env = database.dbt_env("postgresql://crm%40prod:p%40ss%2Fw@db:5432/my%20db?sslmode=require")
    assert (env["CRM_PG_USER"], env["CRM_PG_PASSWORD"]) == ("crm@prod", "p@ss/w")
    assert (env["CRM_PG_DBNAME"], env["CRM_PG_SSLMODE"]) == ("my db", "require")


def test_dbt_env_splits_tcp_urls() -> None:
    env = database.dbt_env("postgresql://u:p@db.example:6543/warehouse")
    assert (env["CRM_PG_HOST"], env["CRM_PG_PORT"], env["CRM_PG_USER"]) == (
        "db.example",
        "6543",
        "u",
    )
    assert (env["CRM_PG_PASSWORD"], env["CRM_PG_DBNAME"]) == ("p", "warehouse")


def test_landing_rejects_an_event_type_outside_the_contract(db: str) -> None:
    with psycopg.connect(db) as conn:
        delivery = conn.execute(
            "insert into raw.webhook_deliveries (source, object, body, body_sha256, event_count) "
            "values ('meta', 'page', '{}', 'x', 1) returning delivery_id"
        ).fetchone()[0]
        with pytest.raises(psycopg.errors.CheckViolation):
            conn.execute(
                "insert into raw.channel_events (delivery_id, channel, event_type, event_id, "
                "direction, payload) values (%s, 'messenger', 'like', 'x', 'inbound', '{}')",
                (delivery,),
            )
