"""Where MLflow keeps runs and the model registry, and a client pointed at it.

`MLFLOW_TRACKING_URI` wins when set (a tracking server in production, a temp sqlite store
in tests). Unset, the store is local under `.crm/mlflow`: a sqlite database, because
MLflow 3's registry (aliases, logged models) needs a database backend, with artifacts in
a folder beside it so a copy of `.crm/` carries both.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mlflow import MlflowClient, set_registry_uri, set_tracking_uri

from crm.settings import get_settings

SQLITE_PREFIX = "sqlite:///"
# Chatter, not news, in a pipeline's progress: the store creating its tables, the uv
# project detected (we pass pip requirements ourselves), and pip missing from a uv venv.
QUIET_LOGGERS = ("mlflow.store.db.utils", "mlflow.utils.environment", "mlflow.utils.uv_utils")


def tracking_uri() -> str:
    """The configured tracking URI, or the local sqlite store under the state folder."""
    settings = get_settings()
    if settings.mlflow_tracking_uri:
        return settings.mlflow_tracking_uri
    return SQLITE_PREFIX + str((settings.crm_home / "mlflow" / "mlflow.db").resolve())


def artifact_location(uri: str) -> str | None:
    """Artifacts beside a sqlite store; `None` lets a tracking server choose its own.

    Without it MLflow would write a sqlite store's artifacts to `./mlruns` in whatever
    folder the process happened to start in.
    """
    if not uri.startswith(SQLITE_PREFIX):
        return None
    return (Path(uri.removeprefix(SQLITE_PREFIX)).parent / "artifacts").as_uri()


def connect() -> MlflowClient:
    """Point the process's MLflow at the store (creating a local one's folder) and a client."""
    uri = tracking_uri()
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.ERROR)
    if uri.startswith(SQLITE_PREFIX):
        Path(uri.removeprefix(SQLITE_PREFIX)).parent.mkdir(parents=True, exist_ok=True)
    set_tracking_uri(uri)
    set_registry_uri(uri)
    return MlflowClient(tracking_uri=uri, registry_uri=uri)
