"""Train, evaluate and register a text model on the owned corpus, the same way for each task.

`fit` reads the training files only (sentences and their variations); the held-out set
is read afterwards, by evaluation, to score the fitted model and, through `register`,
the current champion on the same rows. There is no tuning step: parameters are fixed
in each task and logged. Teacher labels (`ml.text.teacher`, real messages labelled by an
LLM), when given, join the training data only, and the run logs how many did.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import mlflow
import pandas as pd
from matplotlib.figure import Figure
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from crm.settings import get_settings
from ml.text.corpus import TRAINING_FILES, deduplicate, heldout_examples, training_examples
from ml.text.features import TEXT_COLUMN, as_frame, text_features
from ml.tracking import Promotion, register, training_run

INPUT_EXAMPLE = ["hola, cuánto cuesta el envío a David?", "I want 500 units asap"]


def logistic_text_pipeline(
    C: float, char_ngrams: tuple[int, int], word_ngrams: tuple[int, int]
) -> Pipeline:
    """The untrained pipeline: features from `message`, then a balanced logistic regression."""
    classifier = LogisticRegression(C=C, max_iter=3000, class_weight="balanced")
    return Pipeline([("features", text_features(char_ngrams, word_ngrams)), ("model", classifier)])


@dataclass(frozen=True)
class TextTask:
    """What differs between the text models: name, label, pipeline, metrics and plots.

    `floor_setting` names the `Settings` field holding the floor of `primary_metric`.
    """

    model_name: str
    label: str
    params: Mapping[str, Any]
    evaluate: Callable[[Pipeline, pd.DataFrame], dict[str, float]]
    plots: Callable[[Pipeline, pd.DataFrame], dict[str, Figure]]
    primary_metric: str
    floor_setting: str
    build: Callable[..., Pipeline] = logistic_text_pipeline

    def floor(self) -> tuple[str, float]:
        """The primary metric and its floor, read from settings now."""
        return self.primary_metric, float(getattr(get_settings(), self.floor_setting))


@dataclass(frozen=True)
class TrainingOutcome:
    """The held-out metrics of a trained model and what the registry decided."""

    metrics: dict[str, float]
    promotion: Promotion


def fit(task: TextTask, frame: pd.DataFrame | None = None) -> Pipeline:
    """The task's pipeline fitted on the training corpus (never the held-out files)."""
    frame = training_examples() if frame is None else frame
    return task.build(**task.params).fit(frame[[TEXT_COLUMN]], frame[task.label])


def corpus_digest() -> str:
    """A short hash of the training files, logged so a run names the corpus it learnt."""
    digest = hashlib.sha256()
    for path in TRAINING_FILES:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def with_teacher(corpus: pd.DataFrame, teacher: pd.DataFrame | None) -> tuple[pd.DataFrame, int]:
    """The training rows plus the teacher's (a message the corpus already has keeps the
    corpus's label), and how many teacher rows were added."""
    if teacher is None or teacher.empty:
        return corpus, 0
    frame = deduplicate(pd.concat([corpus, teacher], ignore_index=True))
    return frame, len(frame) - len(corpus)


def train(task: TextTask, teacher: pd.DataFrame | None = None) -> TrainingOutcome:
    """Train on the corpus (and the teacher's labels, if any), score on the held-out set,
    register; promote if it earns it."""
    metric, minimum = task.floor()
    margin = get_settings().ml_promotion_margin
    return train_and_register(task, floors={metric: minimum}, margin=margin, teacher=teacher)


def train_and_register(
    task: TextTask,
    *,
    floors: Mapping[str, float],
    margin: float,
    teacher: pd.DataFrame | None = None,
) -> TrainingOutcome:
    """Fit, score on the held-out set, log plots, register and maybe promote."""
    frame, teacher_rows = with_teacher(training_examples(), teacher)
    params = {**task.params, "corpus_sha": corpus_digest()}
    if teacher_rows:  # without teacher labels the run is exactly what it always was
        params["teacher_rows"] = teacher_rows
    with training_run(
        task.model_name, params=params, data_rows=len(frame), data_window=(None, None)
    ):
        model = fit(task, frame)
        heldout = heldout_examples()
        metrics = task.evaluate(model, heldout)
        for name, figure in task.plots(model, heldout).items():
            mlflow.log_figure(figure, name)
        promotion = register(
            model,
            model_name=task.model_name,
            signature_input_example=as_frame(INPUT_EXAMPLE),
            metrics=metrics,
            floors=floors,
            primary_metric=task.primary_metric,
            margin=margin,
            evaluate=lambda champion: task.evaluate(champion, heldout),
        )
    return TrainingOutcome(metrics, promotion)
