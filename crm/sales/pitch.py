"""The closer's words (es / en): an answer per objection quoting the knowledge base, the
offer, the ask for the order, the handoff.

Like the bot's replies (`crm.conversation.replies`), no line states a fact of its own:
an objection is answered only with a retrieved passage, and a price objection only with
a passage that has a figure; without one the closer says it does not know and offers a
person.
"""

from __future__ import annotations

from datetime import datetime

from crm.conversation.knowledge import Passage
from crm.conversation.replies import FIGURE

TEMPLATES = {
    "es": {
        "price": "Sobre el precio: {fact}",
        "timing": "Si es cuestión de tiempos: {fact}",
        "trust": "Para tu tranquilidad: {fact}",
        "competitor": "Frente a otras opciones: {fact}",
        "need": "Por si te ayuda a decidir: {fact}",
        "unknown": "Sobre {topic} no tengo el dato exacto y prefiero no inventarlo; "
        "una persona del equipo puede confirmártelo si quieres.",
        "offer": "Tenemos para ti un {percent}% de descuento, válido hasta el {expires} (UTC).",
        "ask": "¿Lo dejamos listo? Puedes completar tu compra aquí: {link}",
        "handoff": "Te comunico con una persona del equipo para preparar tu pedido; "
        "te escribirá en breve.",
    },
    "en": {
        "price": "About the price: {fact}",
        "timing": "If timing is the question: {fact}",
        "trust": "For your peace of mind: {fact}",
        "competitor": "Compared with other options: {fact}",
        "need": "In case it helps you decide: {fact}",
        "unknown": "I don't have the exact details on {topic} and would rather not guess; "
        "a person from our team can confirm them if you like.",
        "offer": "We have a {percent}% discount for you, valid until {expires} (UTC).",
        "ask": "Shall we get it ready? You can complete your order here: {link}",
        "handoff": "I'm connecting you with a person from our team to prepare your order; "
        "they will write shortly.",
    },
}
TOPICS = {
    "es": {
        "price": "el precio",
        "timing": "los plazos",
        "trust": "esa garantía",
        "competitor": "esa comparación",
        "need": "ese uso",
    },
    "en": {
        "price": "the price",
        "timing": "the timing",
        "trust": "that guarantee",
        "competitor": "that comparison",
        "need": "that use",
    },
}


def say(language: str, key: str, **values: object) -> str:
    """A template in the customer's language (Spanish when unknown)."""
    return TEMPLATES.get(language, TEMPLATES["es"])[key].format(**values)


def usable(kind: str, passages: list[Passage]) -> list[Passage]:
    """The passages that may answer this objection: for price, only those with a figure."""
    if kind == "price":
        return [p for p in passages if FIGURE.search(p.body)]
    return passages


def answer_line(kind: str, language: str, passages: list[Passage], limit: int = 220) -> str:
    """One objection's answer, quoting its best passage, or the honest 'I don't know'."""
    if not passages:
        topic = TOPICS.get(language, TOPICS["es"])[kind]
        return say(language, "unknown", topic=topic)
    best = passages[0]
    body = " ".join(best.body.split())
    fact = f"{best.title} ({body[:limit]}{'…' if len(body) > limit else ''})"
    return say(language, kind, fact=fact)


def offer_line(language: str, percent: float, expires: datetime) -> str:
    return say(language, "offer", percent=f"{percent:g}", expires=f"{expires:%Y-%m-%d %H:%M}")
