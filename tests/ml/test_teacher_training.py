"""Teacher labels in training: added to the training data only, counted in the MLflow run,
and no change at all when there are none."""

from __future__ import annotations

from collections.abc import Iterator

import dagster as dg
import mlflow
import psycopg
import pytest
from test_corpus import files_opened

from ml.intent.train import TASK as INTENT
from ml.text.corpus import (
    HELDOUT_FILES,
    TRAINING_FILES,
    heldout_examples,
    normalise,
    training_examples,
)
from ml.text.teacher import teacher_examples, text_hash
from ml.text.training import fit, with_teacher
from orchestration.defs.ml_text import intent_model

TEACHER = [  # real-traffic style messages the corpus does not have
    ("oigan el cargador usb c de 65w les queda?", "es", "product_inquiry", 0.0, "neutral"),
    ("me cobraron dos veces la misma compra!!", "es", "payment", -0.7, "negative"),
    ("ty so much, the headset works great", "en", "other", 0.9, "positive"),
]


@pytest.fixture
def teacher(db: str) -> Iterator[psycopg.Connection]:
    """ml.teacher_labels holding `TEACHER`, as `crm ml teach` writes it."""
    with psycopg.connect(db, autocommit=True) as conn:
        conn.execute("truncate ml.teacher_labels")
        for text, language, intent, score, label in TEACHER:
            conn.execute(
                "insert into ml.teacher_labels (text_hash, text, language, intent, confidence,"
                " sentiment, sentiment_label, provider, model, prompt_version)"
                " values (%s, %s, %s, %s, 0.9, %s, %s, 'openai', 'gpt-4o-mini', 'classify.v1')",
                (text_hash(text), text, language, intent, score, label),
            )
        yield conn
        conn.execute("truncate ml.teacher_labels")  # other tests train on the corpus alone


def test_teacher_rows_join_the_training_data_and_never_the_heldout_files(teacher) -> None:
    with files_opened() as opened:
        frame, added = with_teacher(training_examples(), teacher_examples(teacher))
        fit(INTENT, frame)
    assert added == 3
    assert {text for text, *_ in TEACHER} <= set(frame.message)
    assert not set(heldout_examples().message.map(normalise)) & set(frame.message.map(normalise))
    assert {str(p) for p in TRAINING_FILES} <= set(opened)
    assert not {str(p) for p in HELDOUT_FILES} & set(opened)


def test_without_teacher_rows_the_training_data_is_the_corpus(db: str) -> None:
    with psycopg.connect(db, autocommit=True) as conn:
        conn.execute("truncate ml.teacher_labels")
        empty = teacher_examples(conn)
    corpus = training_examples()
    frame, added = with_teacher(corpus, empty)
    assert frame is corpus and added == 0


def test_the_training_asset_uses_the_teacher_rows_and_logs_their_count(
    teacher, mlflow_store: str
) -> None:
    result = dg.materialize([intent_model])
    event = result.asset_materializations_for_node("ml__models__crm_intent")[0]
    assert event.metadata["teacher_rows"].value == 3
    run_id = mlflow.MlflowClient().get_model_version("crm-intent", "1").run_id
    params = mlflow.get_run(run_id).data.params
    assert params["teacher_rows"] == "3"
    assert int(params["data_rows"]) == len(training_examples()) + 3
