"""What the engine needs from the settings, built once per worker (or API process):
routing rules and business hours, the reply age limit, the text models, the LLM chain,
the embedding model (semantic retrieval)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from crm.conversation.embeddings import Embedder, build_embedder
from crm.conversation.llm import LLMChain, build_chain
from crm.conversation.routing import BusinessHours, RoutingRules
from crm.conversation.state import LeadTiers
from crm.conversation.understanding import TextModels, text_models
from crm.settings import Settings


@dataclass(frozen=True)
class EngineConfig:
    """What processing needs from the settings, built once per worker."""

    rules: RoutingRules
    hours_text: str
    reply_max_age: timedelta
    models: TextModels
    llm: LLMChain | None = None
    tiers: LeadTiers = field(default_factory=LeadTiers)
    embedder: Embedder | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> EngineConfig:
        hours = BusinessHours.parse(settings.business_hours, settings.business_timezone)
        rules = RoutingRules(
            hours,
            settings.low_confidence,
            settings.escalation_sentiment,
            frozenset(t.strip() for t in settings.escalation_lead_tiers.split(",") if t),
        )
        hours_text = f"{settings.business_hours} ({settings.business_timezone})"
        return cls(
            rules,
            hours_text,
            timedelta(seconds=settings.reply_max_age_s),
            text_models(settings.conversation_text_models),
            build_chain(settings),
            embedder=build_embedder(settings),
        )
