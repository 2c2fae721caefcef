"""The project's labelled chat corpus: training sentences (with variations) and a held-out set.

Files under `corpus/`, one per split and language, one `intent|sentiment|text` line each
(see `corpus/README.md` for how they were written and checked). The held-out files are a
fixed test set of different sentences: only evaluation reads them, through
`heldout_examples()`; training and tuning read `TRAINING_FILES` only, and a test watches
the files a training run opens to keep it so.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pandas as pd

from ml.intents import INTENTS
from ml.text.variations import variants

CORPUS_DIR = Path(__file__).resolve().parent / "corpus"
LANGUAGES = ("es", "en")
TRAINING_FILES = tuple(CORPUS_DIR / f"train_{lang}.txt" for lang in LANGUAGES)
HELDOUT_FILES = tuple(CORPUS_DIR / f"heldout_{lang}.txt" for lang in LANGUAGES)
SENTIMENTS = {"neg": "negative", "neu": "neutral", "pos": "positive"}
COLUMNS = ["message", "lang", "intent", "sentiment", "base"]


def read(path: Path) -> pd.DataFrame:
    """One corpus file as rows of `COLUMNS`; `base` is the sentence as written."""
    lang = path.stem.rsplit("_", 1)[1]
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        intent, sentiment, text = (part.strip() for part in line.split("|", 2))
        if intent not in INTENTS or sentiment not in SENTIMENTS:
            raise ValueError(f"{path.name}:{number}: unknown label in {line!r}")
        rows.append((text, lang, intent, SENTIMENTS[sentiment], text))
    return pd.DataFrame(rows, columns=COLUMNS)


def normalise(text: str) -> str:
    """Lowercase, accents and punctuation dropped (emoji kept): the key for "same sentence"."""
    plain = unicodedata.normalize("NFKD", text.lower())
    kept = (
        c if c.isalnum() or unicodedata.category(c) == "So" else " "
        for c in plain
        if not unicodedata.combining(c)
    )
    return " ".join("".join(kept).split())


def deduplicate(frame: pd.DataFrame) -> pd.DataFrame:
    """Keep the first row of each normalised message."""
    keys = frame["message"].map(normalise)
    return frame.loc[~keys.duplicated()].reset_index(drop=True)


def training_examples(per_sentence: int = 3) -> pd.DataFrame:
    """Training sentences plus `per_sentence` generated variations each, deduplicated."""
    base = pd.concat([read(path) for path in TRAINING_FILES], ignore_index=True)
    varied = [
        (text, row.lang, row.intent, row.sentiment, row.base)
        for row in base.itertuples()
        for text in variants(row.message, row.lang, row.sentiment, per_sentence)
    ]
    return deduplicate(pd.concat([base, pd.DataFrame(varied, columns=COLUMNS)], ignore_index=True))


def heldout_examples() -> pd.DataFrame:
    """The fixed held-out test set, as written. For evaluation only, never for training."""
    return pd.concat([read(path) for path in HELDOUT_FILES], ignore_index=True)
