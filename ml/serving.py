"""The text models as the rest of the project calls them: intent and sentiment of a message.

`TextModels` serves each model's `@champion` from the registry, reloading when the alias
moves. Where no champion exists yet (a fresh install, before the first pipeline run),
it trains the same pipeline on the owned corpus in-process (seconds, once, on first
use), so the API and the conversation engine work on a fresh install; `versions()` then
says `None` for that model.
"""

from __future__ import annotations

import threading

from sklearn.pipeline import Pipeline

from crm.settings import get_settings
from ml.intent.predict import top_intents
from ml.intent.train import TASK as INTENT
from ml.sentiment.predict import polarity
from ml.sentiment.train import TASK as SENTIMENT
from ml.text.training import TextTask, fit
from ml.tracking import ChampionCache

TASKS = (INTENT, SENTIMENT)


class TextModels:
    """Intent and sentiment of one message, off the champions (or the corpus, until one exists).

    Thread-safe: the API calls it from its worker threads.
    """

    def __init__(self, check_every: float | None = None) -> None:
        every = get_settings().ml_reload_seconds if check_every is None else check_every
        self._champions = {task.model_name: ChampionCache(task.model_name, every) for task in TASKS}
        self._fallbacks: dict[str, Pipeline] = {}
        self._lock = threading.Lock()

    def intent(self, text: str) -> tuple[str, float]:
        """The most likely of the 11 intents and its probability."""
        intents, confidence = top_intents(self._model(INTENT)[0], [text])
        return str(intents[0]), float(confidence[0])

    def sentiment(self, text: str) -> tuple[float, str]:
        """A score in -1..1 (negative to positive) and the label negative/neutral/positive."""
        scores, labels = polarity(self._model(SENTIMENT)[0], [text])
        return float(scores[0]), str(labels[0])

    def classify_many(self, texts: list[str]) -> list[tuple[str, float, float, str]]:
        """(intent, confidence, sentiment score, sentiment label) of each message, each model
        run once over the whole list: a batch of 20 costs about twice one message, which is
        what lets the conversation worker catch up on a backlog."""
        if not texts:
            return []
        intents, confidence = top_intents(self._model(INTENT)[0], texts)
        scores, labels = polarity(self._model(SENTIMENT)[0], texts)
        return [
            (str(i), float(c), float(s), str(label))
            for i, c, s, label in zip(intents, confidence, scores, labels, strict=True)
        ]

    def versions(self) -> dict[str, str | None]:
        """Each model's champion version in use, None while it serves the corpus-trained one.

        Reads what is loaded without touching the store or training, so a health check
        can call it at any time.
        """
        return {
            name: (held[1] if (held := cache.peek()) else None)
            for name, cache in self._champions.items()
        }

    def load_champions(self) -> None:
        """Load the champions that exist now; a missing one is trained when first needed.

        What the API does at start-up: cheap, and a process that never classifies text
        (most test apps, a webhook-only worker) never spends seconds training a stand-in.
        """
        for cache in self._champions.values():
            cache.get()

    def refresh(self) -> None:
        """Check the store for new champions now and wait for the answer (tests, jobs)."""
        for cache in self._champions.values():
            cache.refresh()

    def warm(self) -> None:
        """Load or train both models now, so the first message does not wait for it."""
        for task in TASKS:
            self._model(task)

    def _model(self, task: TextTask) -> tuple[Pipeline, str | None]:
        """The champion and its version, else the corpus-trained model and None."""
        champion = self._champions[task.model_name].get()
        if champion is not None:
            return champion
        with self._lock:
            if task.model_name not in self._fallbacks:
                self._fallbacks[task.model_name] = fit(task)
        return self._fallbacks[task.model_name], None
