"""MLflow for every model of the project: the store, training runs, registry and champions.

The one door the training code and the API use: `training_run()` opens a run that
records what a model was trained on (parameters, rows, time window, git commit, dbt
version); `register()` logs, registers and maybe promotes the model (see `ml.registry`);
`load_champion()` / `ChampionCache` serve `models:/<name>@champion`.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from typing import Any

import mlflow
from mlflow.exceptions import MlflowException

from crm.settings import PROJECT_ROOT
from ml.registry import CHALLENGER, CHAMPION, ChampionCache, Promotion, load_champion, register
from ml.store import artifact_location, connect, tracking_uri

__all__ = [
    "CHALLENGER",
    "CHAMPION",
    "ChampionCache",
    "Promotion",
    "load_champion",
    "register",
    "tracking_uri",
    "training_run",
]


@contextmanager
def training_run(
    model_name: str,
    *,
    params: Mapping[str, Any],
    data_rows: int,
    data_window: tuple[datetime | None, datetime | None],
) -> Iterator[mlflow.ActiveRun]:
    """A run in the experiment named after the model, tagged with what it was trained on."""
    client = connect()
    experiment_id = _experiment_id(client, model_name)
    start, end = data_window
    with mlflow.start_run(experiment_id=experiment_id) as run:
        mlflow.log_params(dict(params))
        mlflow.log_params(
            {
                "data_rows": data_rows,
                "data_window_start": start.isoformat() if start else "none",
                "data_window_end": end.isoformat() if end else "none",
            }
        )
        mlflow.set_tags({"git_commit": git_commit(), "dbt_version": dbt_version()})
        yield run


def _experiment_id(client: mlflow.MlflowClient, name: str) -> str:
    """The experiment's id, creating it (artifacts beside a local store) the first time."""
    found = client.get_experiment_by_name(name)
    if found is not None:
        return found.experiment_id
    try:
        return client.create_experiment(name, artifact_location=artifact_location(tracking_uri()))
    except MlflowException:  # another process may have created it in between
        created = client.get_experiment_by_name(name)
        if created is None:
            raise
        return created.experiment_id


@lru_cache
def git_commit() -> str:
    """The commit the code was trained from, or "unknown" outside a git checkout."""
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return out.stdout.strip()


def dbt_version() -> str:
    """The installed dbt-core, whose models built the training data."""
    try:
        return version("dbt-core")
    except PackageNotFoundError:
        return "unknown"
