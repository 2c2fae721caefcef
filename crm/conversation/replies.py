"""The bot's words: reply templates per situation and language, grounded in passages.

Local replies never write a fact of their own: an answer quotes the retrieved passages
(and cites them); with nothing relevant, or a price asked and no price in what was found,
the bot says it does not know and offers a person. `grounded` checks an LLM's answer the
same way: every figure it states must appear in the passages it was given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from crm.conversation.knowledge import Passage

FIGURE = re.compile(r"\d+(?:[.,]\d+)?")
CITATION = re.compile(r"\[P\d+\]")

TEMPLATES = {
    "es": {
        "greeting": "¡Hola! Soy el asistente virtual. Puedo ayudarte con productos, precios, "
        "envíos, pagos y devoluciones. ¿Qué necesitas?",
        "answer": "Esto es lo que tengo:\n{facts}\n¿Te ayudo con algo más?",
        "queue": "Un asesor de {queue} te atenderá en breve.",
        "unknown": "No tengo esa información y prefiero no darte un dato incorrecto. "
        "¿Quieres que te comunique con una persona del equipo?",
        "handoff": "Te comunico con una persona del equipo; te escribirá en breve.",
        "after_hours": "Nuestro equipo atiende {hours}; te responderán en cuanto abramos.",
        "closing": "¡Con gusto! Si necesitas algo más, aquí estamos.",
        "opt_out": "Listo, no te enviaremos más mensajes. Si cambias de opinión, escríbenos.",
        "followup": "Hola de nuevo 👋 ¿Pudiste resolver lo que buscabas? Aquí estoy si "
        "necesitas algo.",
        "yes_human": "Sí, una persona",
        "no_thanks": "No, gracias",
    },
    "en": {
        "greeting": "Hi! I'm the virtual assistant. I can help with products, prices, "
        "shipping, payments and returns. What do you need?",
        "answer": "Here is what I have:\n{facts}\nAnything else I can help with?",
        "queue": "A {queue} advisor will be with you shortly.",
        "unknown": "I don't have that information and would rather not guess. "
        "Would you like me to connect you with a person from our team?",
        "handoff": "I'm connecting you with a person from our team; they will write shortly.",
        "after_hours": "Our team answers {hours}; they will reply as soon as we open.",
        "closing": "You're welcome! If you need anything else, we're here.",
        "opt_out": "Done, we won't message you again. If you change your mind, just write.",
        "followup": "Hi again 👋 Did you find what you were looking for? I'm here if you "
        "need anything.",
        "yes_human": "Yes, a person",
        "no_thanks": "No, thanks",
    },
}
QUEUE_NAMES = {
    "es": {"sales": "ventas", "support": "soporte", "billing": "facturación"},
    "en": {"sales": "sales", "support": "support", "billing": "billing"},
}


@dataclass(frozen=True)
class Reply:
    """What the bot says, which passages it used, and whether it offers a person."""

    text: str
    citations: list[str] = field(default_factory=list)
    offer_human: bool = False
    source: str = "local"
    purpose: str = "reply"


def phrase(language: str, key: str, **values: str) -> str:
    """A template in the customer's language (Spanish when unknown)."""
    return TEMPLATES.get(language, TEMPLATES["es"])[key].format(**values)


def _fact(passage: Passage, limit: int = 320) -> str:
    body = " ".join(passage.body.split())
    return f"• {passage.title}: {body[:limit]}{'…' if len(body) > limit else ''}"


def answer_locally(
    intent: str, language: str, passages: list[Passage], queue: str | None = None
) -> Reply:
    """A template reply quoting the passages; the honest 'I don't know' without them."""
    if intent == "greeting" and not passages:
        return Reply(phrase(language, "greeting"))
    usable = passages
    if intent == "price_inquiry":  # a price may only come from a passage that has one
        usable = [p for p in passages if FIGURE.search(p.body)]
    if not usable:
        return Reply(phrase(language, "unknown"), offer_human=True)
    text = phrase(language, "answer", facts="\n".join(_fact(p) for p in usable[:2]))
    if queue:
        name = QUEUE_NAMES.get(language, QUEUE_NAMES["es"])[queue]
        text += "\n" + phrase(language, "queue", queue=name)
    return Reply(text, [p.passage_id for p in usable[:2]])


def grounded(text: str, passages: list[Passage]) -> bool:
    """True when every figure in `text` (prices, days, percentages) is in the passages."""
    known = {f.replace(",", ".") for p in passages for f in FIGURE.findall(p.body)}
    known |= {k.split(".")[0] for k in known}
    stated = FIGURE.findall(CITATION.sub("", text))
    return all(f.replace(",", ".") in known for f in stated)
