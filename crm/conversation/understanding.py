"""What a message says: language (es / en), intent (the 11 of the contract), sentiment.

The intent and sentiment models are the ML package's (`ml.serving.TextModels`); keyword
rules with the same interface stay as a fixed, instant alternative (setting
`CONVERSATION_TEXT_MODELS=keywords`) for tests of the engine's own behaviour, and an LLM
classifier (`llm`, see `llm_classify.py`) can answer first with those models as fallback.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

Reading = tuple[str, float, float, str]  # intent, confidence, sentiment score, its label


class TextModels(Protocol):
    """The ML issue's interface (ml/serving.py), coded against exactly."""

    def intent(self, text: str) -> tuple[str, float]: ...

    def sentiment(self, text: str) -> tuple[float, str]: ...

    def classify_many(self, texts: list[str]) -> list[Reading]:
        """Both answers for each message; the worker asks once per claimed batch."""
        ...


@dataclass(frozen=True)
class Understanding:
    """Everything the engine derives from one message's text."""

    language: str
    intent: str
    confidence: float
    sentiment: float
    sentiment_label: str


def fold(text: str) -> str:
    """Lower case without accents: rules match 'informacion' and 'información' alike."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# First match wins: the specific asks come before the generic ones.
INTENT_RULES: tuple[tuple[str, str], ...] = (
    ("human_agent", r"\b(human|person|agent|agente|asesor|persona|operador|representative)\b"),
    (
        "complaint",
        r"\b(complain|complaint|queja|reclamo|terrible|awful|horrible|pesimo|"
        r"worst|peor|estafa|scam|unacceptable|inaceptable)\b",
    ),
    ("cancellation_refund", r"\b(refund|reembolso|devolucion|devolver|cancel\w*|return)\b"),
    ("order_status", r"\b(order|pedido|orden|tracking|envio|shipping|llega|arrive|delivery)\b"),
    (
        "payment",
        r"\b(pay|payment|pago|pagar|transferencia|transfer|card|tarjeta|invoice|"
        r"factura|yappy|visa|mastercard)\b",
    ),
    (
        "price_inquiry",
        r"\b(price|prices|cost|costs|how much|precio|precios|cuanto|cuesta|"
        r"vale|valor|tarifa)\b",
    ),
    (
        "purchase_intent",
        r"\b(buy|purchase|comprar|compro|quiero|want|need|necesito|"
        r"units|unidades|order now|lo llevo)\b",
    ),
    (
        "support_request",
        r"\b(help|ayuda|problem|problema|not working|no funciona|broken|"
        r"roto|error|falla|issue|support|soporte)\b",
    ),
    (
        "product_inquiry",
        r"\b(do you have|tienen|tienes|busco|looking for|available|"
        r"disponible|stock|info|informacion|information|specs|modelo|model|catalog\w*)\b",
    ),
    (
        "greeting",
        r"^\W*(hola|hello|hi|hey|buenas|buenos dias|buenas tardes|good morning|"
        r"good afternoon)\b",
    ),
)
_COMPILED = tuple((intent, re.compile(pattern)) for intent, pattern in INTENT_RULES)
POSITIVE = re.compile(
    r"\b(gracias|thanks|thank you|great|excelente|genial|perfect\w*|"
    r"love|encanta|good|bueno|buen|happy|feliz|awesome)\b"
)
NEGATIVE = re.compile(
    r"\b(bad|malo|mala|terrible|awful|horrible|pesimo|worst|peor|hate|"
    r"odio|angry|enojado|molesto|never|nunca|estafa|scam|broken|roto|"
    r"unacceptable|inaceptable|late|tarde|disappointed|decepcionado)\b"
)


class KeywordModels:
    """Keyword rules for intent and sentiment: the local fallback, not a trained model."""

    def intent(self, text: str) -> tuple[str, float]:
        folded = fold(text)
        for intent, pattern in _COMPILED:
            if pattern.search(folded):
                return intent, 0.7
        return "other", 0.3

    def sentiment(self, text: str) -> tuple[float, str]:
        folded = fold(text)
        score = 0.4 * len(POSITIVE.findall(folded)) - 0.45 * len(NEGATIVE.findall(folded))
        score += -0.2 if "!!" in text and score < 0 else 0.0
        score = max(-1.0, min(1.0, score))
        return round(score, 3), sentiment_label(score)

    def classify_many(self, texts: list[str]) -> list[Reading]:
        return [(*self.intent(text), *self.sentiment(text)) for text in texts]


def sentiment_label(score: float) -> str:
    """negative / neutral / positive for a score in -1..1 (scores that are not a model's
    class probabilities: the keyword rules', an LLM's)."""
    return "positive" if score > 0.2 else "negative" if score < -0.2 else "neutral"


@lru_cache
def text_models(choice: str = "auto") -> TextModels:
    """`ml.serving.TextModels` (champions loaded and warmed), the keyword rules when
    `choice` is `keywords`, or those champions behind the LLM classifier when it is `llm`
    (and a key is set)."""
    if choice == "keywords":
        return KeywordModels()
    if choice == "llm":
        from crm.conversation.llm_classify import llm_or_local
        from crm.settings import get_settings

        return llm_or_local(text_models("auto"), get_settings())
    from ml.serving import TextModels as Champions  # lazy: keyword runs skip the model load

    models = Champions()
    models.warm()  # load or train now, not on a customer's first message
    return models


@lru_cache
def _language_identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(["es", "en"])
    return identifier


def detect_language(text: str, default: str = "es") -> str:
    """es or en; short or ambiguous text ('ok', '👍') keeps the conversation's language."""
    if len(text.strip()) < 2:
        return default
    language, probability = _language_identifier().classify(text)
    return language if probability >= 0.75 else default


def understand(
    text: str, models: TextModels, default_language: str = "es", reading: Reading | None = None
) -> Understanding:
    """Language, intent and sentiment of one message; `reading`: the models' answer when
    it was already asked for (a batch)."""
    intent, confidence, score, label = reading or models.classify_many([text])[0]
    return Understanding(detect_language(text, default_language), intent, confidence, score, label)
