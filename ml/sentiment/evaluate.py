"""How good a sentiment model is on a labelled set: accuracy, macro-F1 and AUC.

Two AUCs: `auc` is the one-vs-rest macro AUC over the three labels; `polarity_auc` asks
whether the score ranks positive messages above negative ones (neutral rows left out),
which is what consumers of the -1..1 score rely on.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure
from sklearn.metrics import accuracy_score, f1_score, roc_auc_score
from sklearn.pipeline import Pipeline

from ml.sentiment.predict import polarity
from ml.text.corpus import SENTIMENTS
from ml.text.evaluation import confusion_figure, per_language
from ml.text.features import TEXT_COLUMN, probabilities

LABELS = tuple(SENTIMENTS.values())


def evaluate(model: Pipeline, frame: pd.DataFrame) -> dict[str, float]:
    """accuracy, accuracy_<lang>, macro_f1, auc and polarity_auc on `frame`."""
    texts, truth = frame[TEXT_COLUMN].tolist(), frame["sentiment"]
    score, predicted = polarity(model, texts)
    polar = (truth != "neutral").to_numpy()
    return {
        "accuracy": float(accuracy_score(truth, predicted)),
        **per_language(accuracy_score, frame, truth, predicted, "accuracy"),
        "macro_f1": float(f1_score(truth, predicted, average="macro")),
        "auc": float(roc_auc_score(truth, probabilities(model, texts), multi_class="ovr")),
        "polarity_auc": float(roc_auc_score(truth[polar] == "positive", score[polar])),
    }


def plots(model: Pipeline, frame: pd.DataFrame) -> dict[str, Figure]:
    """The sentiment confusion matrix on `frame`, as an MLflow artifact name → figure."""
    _, predicted = polarity(model, frame[TEXT_COLUMN].tolist())
    figure = confusion_figure(frame["sentiment"], predicted, LABELS, "sentiment, held-out set")
    return {"sentiment_confusion.png": figure}
