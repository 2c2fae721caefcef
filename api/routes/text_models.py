"""The text models: `POST /intents/detect` (which of the 11 intents a chat message
expresses) and `POST /sentiment/analyze` (how negative or positive it is).

With `CONVERSATION_TEXT_MODELS=llm` and an LLM key, an LLM answers first (one cached call
gives both) and the local champions answer when it fails; `source` says which did.
"""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import TextModelsDep
from api.schemas_text import IntentOut, MessageIn, ModelUsed, SentimentOut
from crm.conversation.llm_classify import LOCAL, Classification, LLMTextModels
from ml.intent.train import MODEL_NAME as INTENT_MODEL
from ml.sentiment.train import MODEL_NAME as SENTIMENT_MODEL
from ml.serving import TextModels

router = APIRouter(tags=["text models"])


def _llm(models: TextModels | LLMTextModels, message: str) -> Classification | None:
    """The LLM classifier's answer when it is on (holding the local answer if it failed)."""
    return models.classify(message) if isinstance(models, LLMTextModels) else None


def _used(
    models: TextModels | LLMTextModels, name: str, found: Classification | None
) -> tuple[ModelUsed, str]:
    """Who answered: the LLM (named by provider and model, with the prompt version), else
    the local model and the champion version in use (None: the corpus-trained stand-in)."""
    if found is not None and found.source != LOCAL:
        return ModelUsed(name=found.source, version=found.prompt_version), found.source
    return ModelUsed(name=name, version=models.versions()[name]), LOCAL


@router.post("/intents/detect", response_model=IntentOut)
def detect(body: MessageIn, models: TextModelsDep) -> IntentOut:
    """The message's intent and the confidence in it (champion `crm-intent`, or the LLM).

    Plain `def`: the model is CPU work (the LLM a blocking call), so FastAPI runs it in
    its thread pool.
    """
    found = _llm(models, body.message)
    intent, confidence = (found.intent, found.confidence) if found else models.intent(body.message)
    used, source = _used(models, INTENT_MODEL, found)
    return IntentOut.model_validate(
        {"intent": intent, "confidence": confidence, "model": used, "source": source}
    )


@router.post("/sentiment/analyze", response_model=SentimentOut)
def analyze(body: MessageIn, models: TextModelsDep) -> SentimentOut:
    """A score in -1..1 and a label (champion `crm-sentiment`, or the LLM).

    Plain `def`: the model is CPU work (the LLM a blocking call), so FastAPI runs it in
    its thread pool.
    """
    found = _llm(models, body.message)
    score, label = (found.score, found.label) if found else models.sentiment(body.message)
    used, source = _used(models, SENTIMENT_MODEL, found)
    return SentimentOut.model_validate(
        {"score": score, "label": label, "model": used, "source": source}
    )
