"""Intent and sentiment models: quality on the held-out set, training through the registry,
and the serving interface on a store with and without champions."""

from __future__ import annotations

import mlflow
import numpy as np
import pytest
from sklearn.pipeline import Pipeline

from crm.settings import get_settings
from ml.intent import train as intent
from ml.intent.predict import top_intents
from ml.sentiment import train as sentiment
from ml.sentiment.predict import polarity
from ml.serving import TextModels
from ml.text.corpus import heldout_examples
from ml.text.features import as_frame, probabilities
from ml.text.training import fit


@pytest.fixture(scope="module")
def intent_model() -> Pipeline:
    return fit(intent.TASK)


@pytest.fixture(scope="module")
def sentiment_model() -> Pipeline:
    return fit(sentiment.TASK)


def test_intent_model_meets_its_floor_in_each_language(intent_model: Pipeline) -> None:
    metrics = intent.TASK.evaluate(intent_model, heldout_examples())
    assert metrics["macro_f1"] >= get_settings().intent_min_macro_f1
    assert min(metrics["macro_f1_es"], metrics["macro_f1_en"]) >= 0.75


def test_sentiment_model_meets_its_floor_and_ranks_polarity(sentiment_model: Pipeline) -> None:
    metrics = sentiment.TASK.evaluate(sentiment_model, heldout_examples())
    assert metrics["accuracy"] >= get_settings().sentiment_min_accuracy
    assert metrics["polarity_auc"] >= 0.9 and metrics["auc"] >= 0.9


def test_training_registers_logs_and_promotes_the_first_version(mlflow_store: str) -> None:
    outcome = intent.train()
    assert outcome.promotion.promoted and outcome.promotion.version == "1"
    run_id = mlflow.MlflowClient().get_model_version("crm-intent", "1").run_id
    run = mlflow.get_run(run_id)
    assert run.data.metrics["macro_f1"] == pytest.approx(outcome.metrics["macro_f1"])
    assert {"macro_f1_es", "macro_f1_en"} <= set(run.data.metrics)
    assert run.data.params["corpus_sha"] and int(run.data.params["data_rows"]) > 1000
    artifacts = [a.path for a in mlflow.MlflowClient().list_artifacts(run_id)]
    assert "intent_confusion.png" in artifacts


def test_retraining_the_same_model_keeps_the_champion(mlflow_store: str) -> None:
    sentiment.train()
    again = sentiment.train()
    assert not again.promotion.promoted
    assert "does not beat the champion" in again.promotion.reason


def test_serving_trains_on_the_corpus_while_no_champion_exists(mlflow_store: str) -> None:
    models = TextModels(check_every=0)
    assert models.intent("q precio tiene")[0] == "price_inquiry"
    assert models.versions() == {"crm-intent": None, "crm-sentiment": None}


def test_classifying_a_batch_matches_one_message_at_a_time(mlflow_store: str) -> None:
    models = TextModels(check_every=0)
    texts = ["q precio tiene", "I want 500 units asap", "esto es una estafa, terrible!!"]
    batch = models.classify_many(texts)
    assert [(b[0], b[3]) for b in batch] == [
        (models.intent(t)[0], models.sentiment(t)[1]) for t in texts
    ]
    for (_, confidence, score, _), text in zip(batch, texts, strict=True):
        assert confidence == pytest.approx(models.intent(text)[1])
        assert score == pytest.approx(models.sentiment(text)[0])
    assert batch[2][2] < 0 < batch[1][1]
    assert models.classify_many([]) == []


def test_serving_switches_to_the_champion_once_registered(mlflow_store: str) -> None:
    models = TextModels(check_every=0)
    models.warm()
    intent.train()
    models.refresh()
    label, confidence = models.intent("I want 500 units asap")
    assert (label, models.versions()["crm-intent"]) == ("purchase_intent", "1")
    assert 0 < confidence <= 1


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("q precio tiene", "price_inquiry"),
        ("cuanto cuesta el envio a David", "price_inquiry"),
        ("I want 500 units asap", "purchase_intent"),
        ("Necesito 500 unidades urgente", "purchase_intent"),
        ("kiero hablar con una persona", "human_agent"),
        ("where is my order??", "order_status"),
    ],
)
def test_the_issues_examples(intent_model: Pipeline, message: str, expected: str) -> None:
    assert top_intents(intent_model, [message])[0][0] == expected


@pytest.mark.parametrize(
    ("message", "label", "sign"),
    [
        ("pésimo servicio, nadie responde 😡", "negative", -1),
        ("thanks, arrived perfect!!", "positive", 1),
    ],
)
def test_sentiment_score_has_the_labels_sign(
    sentiment_model: Pipeline, message: str, label: str, sign: int
) -> None:
    scores, labels = polarity(sentiment_model, [message])
    assert labels[0] == label and scores[0] * sign > 0.3


def test_fast_path_gives_the_pipelines_probabilities(intent_model: Pipeline) -> None:
    texts = ["q precio tiene", "I want 500 units asap", "pésimo servicio 😡"]
    expected = intent_model.predict_proba(as_frame(texts))
    assert np.allclose(probabilities(intent_model, texts), expected)
