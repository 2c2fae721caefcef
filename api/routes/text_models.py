"""The text models: `POST /intents/detect` (which of the 11 intents a chat message
expresses) and `POST /sentiment/analyze` (how negative or positive it is)."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import TextModelsDep
from api.schemas_text import IntentOut, MessageIn, ModelUsed, SentimentOut
from ml.intent.train import MODEL_NAME as INTENT_MODEL
from ml.sentiment.train import MODEL_NAME as SENTIMENT_MODEL
from ml.serving import TextModels

router = APIRouter(tags=["text models"])


def _used(models: TextModels, name: str) -> ModelUsed:
    """The model that answered: its name and the champion version in use (None: stand-in)."""
    return ModelUsed(name=name, version=models.versions()[name])


@router.post("/intents/detect", response_model=IntentOut)
def detect(body: MessageIn, models: TextModelsDep) -> IntentOut:
    """The message's intent and the model's confidence in it (champion `crm-intent`).

    Plain `def`: the model is CPU work, so FastAPI runs it in its thread pool.
    """
    intent, confidence = models.intent(body.message)
    used = _used(models, INTENT_MODEL)
    return IntentOut.model_validate({"intent": intent, "confidence": confidence, "model": used})


@router.post("/sentiment/analyze", response_model=SentimentOut)
def analyze(body: MessageIn, models: TextModelsDep) -> SentimentOut:
    """A score in -1..1 and a label (champion `crm-sentiment`).

    Plain `def`: the model is CPU work, so FastAPI runs it in its thread pool.
    """
    score, label = models.sentiment(body.message)
    used = _used(models, SENTIMENT_MODEL)
    return SentimentOut.model_validate({"score": score, "label": label, "model": used})
