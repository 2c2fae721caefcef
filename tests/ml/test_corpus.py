"""The owned corpus: coverage, no duplicates, a held-out set of different sentences that
training never reads."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import cosine_similarity

from ml.intent.train import TASK as INTENT
from ml.text.corpus import (
    HELDOUT_FILES,
    INTENTS,
    LANGUAGES,
    TRAINING_FILES,
    heldout_examples,
    normalise,
    read,
    training_examples,
)
from ml.text.training import fit
from ml.text.variations import variants

_opened: list[str] | None = None


def _audit(event: str, args: tuple) -> None:
    if event == "open" and _opened is not None and isinstance(args[0], str | Path):
        _opened.append(str(Path(args[0]).resolve()))


sys.addaudithook(_audit)  # hooks cannot be removed; it records only inside `files_opened`


@contextmanager
def files_opened() -> Iterator[list[str]]:
    """Every file the process opens inside the block, as absolute paths."""
    global _opened
    _opened = []
    try:
        yield _opened
    finally:
        _opened = None


@pytest.fixture(scope="module")
def training_base() -> pd.DataFrame:
    return pd.concat([read(path) for path in TRAINING_FILES], ignore_index=True)


def test_training_never_opens_the_heldout_files() -> None:
    with files_opened() as opened:
        model = fit(INTENT)
    assert hasattr(model, "predict_proba")
    assert {str(p) for p in TRAINING_FILES} <= set(opened)  # the hook does see corpus reads
    assert not {str(p) for p in HELDOUT_FILES} & set(opened)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_intent_has_sentences_in_each_language(lang: str, training_base) -> None:
    heldout = heldout_examples()
    train_counts = training_base[training_base.lang == lang].intent.value_counts()
    heldout_counts = heldout[heldout.lang == lang].intent.value_counts()
    assert set(train_counts.index) == set(INTENTS) and train_counts.min() >= 30
    assert set(heldout_counts.index) == set(INTENTS) and heldout_counts.min() >= 8


def test_training_set_has_no_duplicates() -> None:
    keys = training_examples().message.map(normalise)
    assert not keys.duplicated().any()


def test_heldout_sentences_are_not_training_sentences_or_their_variations() -> None:
    heldout = heldout_examples().message.map(normalise)
    assert not set(heldout) & set(training_examples().message.map(normalise))
    assert not heldout.duplicated().any()


def test_heldout_sentences_are_not_near_copies(training_base) -> None:
    """Character-trigram similarity to the closest training sentence stays below 0.8."""
    vectoriser = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), strip_accents="unicode")
    vectoriser.fit(training_base.message)
    heldout = heldout_examples().message
    similarity = cosine_similarity(
        vectoriser.transform(heldout), vectoriser.transform(training_base.message)
    ).max(axis=1)
    assert similarity.max() < 0.8, heldout[similarity.argmax()]


def test_variations_are_reproducible_and_change_the_text() -> None:
    first = variants("¿Cuánto cuesta el envío a David?", "es", "neutral", 5)
    assert first == variants("¿Cuánto cuesta el envío a David?", "es", "neutral", 5)
    assert "¿Cuánto cuesta el envío a David?" not in first and len(set(first)) > 1
