"""The production files that cannot run here (no Docker engine) still hold together.

docker-compose.yml parses, every service has an image or a build and a command, the app
services get every variable the code needs, and what they mount or run exists.
"""

from pathlib import Path

import pytest
import yaml

from crm.settings import Settings

APP_SERVICES = ("api", "dagster-webserver", "dagster-daemon")


@pytest.fixture(scope="module")
def compose(project_root: Path) -> dict:
    return yaml.safe_load((project_root / "docker-compose.yml").read_text())


def test_every_service_has_an_image_or_build_and_a_command(compose: dict) -> None:
    for name, service in compose["services"].items():
        assert service.get("image") or service.get("build"), name
        assert service.get("command"), f"{name} has no command"


def test_app_services_get_the_variables_the_code_reads(compose: dict) -> None:
    needed = {"DATABASE_URL", "META_APP_SECRET", "META_VERIFY_TOKEN", "DAGSTER_HOME"}
    for name in APP_SERVICES:
        env = compose["services"][name]["environment"]
        assert needed <= set(env), f"{name} lacks {needed - set(env)}"
        secrets_read = {"META_APP_SECRET", "META_VERIFY_TOKEN", "COMMERCE_WEBHOOK_SECRET"}
        settings_fields = {f.upper() for f in Settings.model_fields}
        assert secrets_read <= settings_fields and secrets_read <= set(env), name


def test_dagster_instance_reads_postgres_storage_from_the_env(
    compose: dict, project_root: Path
) -> None:
    instance = yaml.safe_load((project_root / "orchestration/dagster.yaml").read_text())
    db = instance["storage"]["postgres"]["postgres_db"]
    wanted = {v["env"] for v in db.values() if isinstance(v, dict)}
    assert wanted <= set(compose["services"]["dagster-daemon"]["environment"])


def test_app_services_wait_for_a_healthy_database(compose: dict) -> None:
    assert compose["services"]["postgres"]["healthcheck"]["test"]
    for name in APP_SERVICES:
        assert compose["services"][name]["depends_on"]["postgres"]["condition"] == (
            "service_healthy"
        )


def test_mounted_files_and_dockerfile_exist(compose: dict, project_root: Path) -> None:
    for service in compose["services"].values():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("./"):
                assert (project_root / source).exists(), source
    dockerfile = (project_root / "Dockerfile").read_text()
    assert "uv sync --frozen" in dockerfile
    assert "orchestration/dagster.yaml" in dockerfile


def test_named_volumes_are_declared(compose: dict) -> None:
    declared = set(compose["volumes"])
    for service in compose["services"].values():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if not source.startswith(("./", "/")):
                assert source in declared, source


def test_local_state_stays_out_of_the_image(project_root: Path) -> None:
    ignored = (project_root / ".dockerignore").read_text().split()
    assert {".venv", ".crm", ".git", "dbt_project/target"} <= set(ignored)


def test_every_long_running_service_has_a_healthcheck(compose: dict) -> None:
    for name, service in compose["services"].items():
        assert service.get("healthcheck", {}).get("test"), f"{name} has no healthcheck"
