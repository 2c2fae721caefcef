"""Register a trained model, promote it by alias, and load the champion back.

Every new version is the `challenger`; it becomes the `champion` only when it passes its
quality floors and beats the current champion on the same holdout by a margin, so a
retrain on worse data never replaces a better model. Consumers load
`models:/<name>@champion` only, through `load_champion` or the reloading `ChampionCache`.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib.metadata import version
from typing import Any

import mlflow
import mlflow.sklearn
from mlflow.exceptions import MlflowException
from mlflow.models import infer_signature

from ml.store import connect

log = logging.getLogger(__name__)

CHAMPION, CHALLENGER = "champion", "challenger"


@dataclass(frozen=True)
class Promotion:
    """The outcome of registering one version: promoted or left a challenger, and why."""

    model_name: str
    version: str
    promoted: bool
    reason: str


def register(
    model: Any,
    *,
    model_name: str,
    signature_input_example: Any,
    metrics: Mapping[str, float],
    floors: Mapping[str, float],
    primary_metric: str,
    margin: float,
    higher_is_better: Mapping[str, bool] | None = None,
    evaluate: Callable[[Any], Mapping[str, float]] | None = None,
) -> Promotion:
    """Log `model` in the active run, register it as a `challenger`, maybe promote it.

    `metrics` are the new model's, measured on the holdout; they are logged here. Metrics
    default to higher-is-better; name the others in `higher_is_better` (e.g. brier: False).
    `evaluate` scores a model on this run's holdout: given, the champion is re-scored with
    it so both are compared on the same rows; without it the champion's logged metric is
    used, which is only fair when the holdout is fixed.
    """
    if mlflow.active_run() is None:
        raise RuntimeError("register() runs inside ml.tracking.training_run()")
    client = connect()
    directions = dict(higher_is_better or {})
    info = mlflow.sklearn.log_model(
        model,
        name="model",
        signature=infer_signature(signature_input_example, model.predict(signature_input_example)),
        input_example=signature_input_example,
        pip_requirements=_requirements(),
        registered_model_name=model_name,
    )
    mlflow.log_metrics(dict(metrics), model_id=info.model_id)  # on the run and the model
    version = str(info.registered_model_version)
    client.set_registered_model_alias(model_name, CHALLENGER, version)
    better = _Comparison(primary_metric, directions.get(primary_metric, True), margin)
    promoted, reason = _decide(client, model_name, metrics, floors, directions, better, evaluate)
    if promoted:
        client.set_registered_model_alias(model_name, CHAMPION, version)
    for key, value in {"promoted": str(promoted).lower(), "promotion_reason": reason}.items():
        client.set_model_version_tag(model_name, version, key, value)
        mlflow.set_tag(key, value)
    log.info("%s version %s: %s", model_name, version, reason)
    return Promotion(model_name, version, promoted, reason)


def _requirements() -> list[str]:
    """The serving requirements, pinned; stated so MLflow skips its slow inference."""
    return [f"{name}=={version(name)}" for name in ("scikit-learn", "mlflow", "pandas")]


@dataclass(frozen=True)
class _Comparison:
    metric: str
    higher_is_better: bool
    margin: float

    def gain(self, new: float, old: float) -> float:
        """How much `new` improves on `old`, positive when better in this metric's direction."""
        return new - old if self.higher_is_better else old - new


def _decide(
    client: mlflow.MlflowClient,
    model_name: str,
    metrics: Mapping[str, float],
    floors: Mapping[str, float],
    directions: Mapping[str, bool],
    better: _Comparison,
    evaluate: Callable[[Any], Mapping[str, float]] | None,
) -> tuple[bool, str]:
    """Floors first, then the champion on the same holdout: (promote?, the reason)."""
    for name, floor in floors.items():
        value = metrics.get(name)
        up = directions.get(name, True)
        if value is None or (value < floor if up else value > floor):
            bound = "at least" if up else "at most"
            return False, f"{name}={value} misses its floor ({bound} {floor})"
    current = _champion_version(client, model_name)
    if current is None:
        return (
            True,
            f"no champion yet; floors passed ({better.metric}={metrics[better.metric]:.4f})",
        )
    old = _champion_metric(client, current, better.metric, evaluate)
    gain = better.gain(metrics[better.metric], old)
    summary = (
        f"{better.metric} {metrics[better.metric]:.4f} vs champion v{current.version} "
        f"{old:.4f} (gain {gain:+.4f}, margin {better.margin})"
    )
    mlflow.log_metric(f"champion_{better.metric}", old)
    if gain >= better.margin:
        return True, f"beats the champion: {summary}"
    return False, f"does not beat the champion by the margin: {summary}"


def _champion_version(client: mlflow.MlflowClient, model_name: str) -> Any | None:
    """The model version the `champion` alias points at, or None (no alias, no model)."""
    try:
        return client.get_model_version_by_alias(model_name, CHAMPION)
    except MlflowException:
        return None


def _champion_metric(
    client: mlflow.MlflowClient,
    champion: Any,
    metric: str,
    evaluate: Callable[[Any], Mapping[str, float]] | None,
) -> float:
    """The champion's `metric`: re-scored on this holdout when possible, else as logged."""
    if evaluate is not None:
        try:
            model = mlflow.sklearn.load_model(f"models:/{champion.name}/{champion.version}")
            return float(evaluate(model)[metric])
        except Exception as exc:  # its inputs changed shape: fall back to what it logged
            log.warning(
                "champion v%s not re-scored (%s); using its logged %s",
                champion.version,
                exc,
                metric,
            )
    return float(client.get_run(champion.run_id).data.metrics[metric])


def load_champion(model_name: str) -> tuple[Any, str] | None:
    """The champion model and its version, or None when `model_name` has no champion."""
    client = connect()
    current = _champion_version(client, model_name)
    if current is None:
        return None
    version = str(current.version)
    return mlflow.sklearn.load_model(f"models:/{model_name}/{version}"), version


class ChampionCache:
    """The champion of one model, reloaded when its alias moves (checked every N seconds).

    Only the first `get()` waits for the store. Later checks run on a background thread
    while callers keep the model already held: resolving an alias or unpickling a new
    version takes from tens of milliseconds to seconds, which must never land on a
    customer's message or an API request. A store that cannot be reached keeps the model
    already loaded.
    """

    def __init__(self, model_name: str, check_every: float = 30.0) -> None:
        self.model_name = model_name
        self.check_every = check_every
        self._current: tuple[Any, str] | None = None
        self._next_check = 0.0  # 0: never checked
        self._lock = threading.Lock()  # held by whoever is checking the store

    def get(self) -> tuple[Any, str] | None:
        """(model, version) of the champion, or None while there is none."""
        if self._next_check == 0.0:
            with self._lock:
                if self._next_check == 0.0:
                    self._refresh()
        elif time.monotonic() >= self._next_check and self._lock.acquire(blocking=False):
            threading.Thread(
                target=self._refresh_and_release, name=f"{self.model_name}-check", daemon=True
            ).start()
        return self._current

    def peek(self) -> tuple[Any, str] | None:
        """What `get()` last returned, without checking the store (never blocks)."""
        return self._current

    def refresh(self) -> tuple[Any, str] | None:
        """Check the store now and wait for the answer (training jobs, tests)."""
        with self._lock:
            self._refresh()
        return self._current

    def _refresh_and_release(self) -> None:
        try:
            self._refresh()
        finally:
            self._lock.release()

    def _refresh(self) -> None:
        """Resolve the alias; load the version it names if it is not the one held."""
        try:
            current = _champion_version(connect(), self.model_name)
            held = self._current[1] if self._current else None
            if current is not None and str(current.version) != held:
                version = str(current.version)
                uri = f"models:/{self.model_name}/{version}"
                self._current = (mlflow.sklearn.load_model(uri), version)
                log.info("loaded %s version %s", self.model_name, version)
        except Exception as exc:  # the store is down: serve what we have, retry later
            log.warning("could not check the %s champion: %s", self.model_name, exc)
        self._next_check = time.monotonic() + self.check_every
