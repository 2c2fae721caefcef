"""`crm db url` / `crm db stop`: the embedded server outlives the command that started it."""

import os
import subprocess
import sys
from pathlib import Path

import psycopg


def crm(*args: str, env: dict[str, str], check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run the real console script in a child process, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "crm.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=check,
    )


def test_db_url_prints_the_given_database_url() -> None:
    env = {**os.environ, "DATABASE_URL": "postgresql+psycopg://u:p@db.example:5433/crm"}
    out = crm("db", "url", env=env).stdout.strip()
    assert out == "postgresql://u:p@db.example:5433/crm"


def test_embedded_server_stays_up_for_other_processes_until_stopped(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["CRM_HOME"] = str(tmp_path / "state")
    url = crm("db", "url", env=env).stdout.strip()
    try:
        with psycopg.connect(url) as conn:  # the command has exited; the server has not
            assert conn.execute("select current_database()").fetchone() == ("crm",)
        assert crm("db", "url", env=env).stdout.strip() == url  # second call reuses it
    finally:
        stopped = crm("db", "stop", env=env).stdout
    assert "stopped" in stopped
    assert "not running" in crm("db", "stop", env=env).stdout


def test_an_unreachable_database_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    export = tmp_path / "contacts.csv"
    export.write_text("external_id,first_name\nA1,Ana\n")
    env = {**os.environ, "DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"}
    result = crm("import", "contacts", str(export), env=env, check=False)
    assert result.returncode == 1
    assert "the database cannot be reached" in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
