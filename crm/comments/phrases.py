"""What the business says under a post or in a private reply (es / en).

Public words stay short and free of facts of their own: a question is answered by quoting
one knowledge-base passage, everything about money, orders or personal data goes by DM.
"""

from __future__ import annotations

from crm.conversation.knowledge import Passage

TEMPLATES = {
    "es": {
        "complaint": "Lamentamos mucho lo ocurrido. Ya lo pasamos a una persona del equipo "
        "que te escribirá por mensaje privado para resolverlo.",
        "praise": "¡Muchas gracias por tu comentario! 💙",
        "buying": "¡Gracias por tu interés! Cuéntanos qué producto te interesa y te ayudamos "
        "a completar tu compra por aquí.",
        "answer": "{title}: {body} Si quieres más detalles, escríbenos por mensaje privado.",
        "greet": "¡Hola{name}! Te escribimos por tu comentario. {body}",
    },
    "en": {
        "complaint": "We're very sorry about this. A person from our team will message you "
        "privately to sort it out.",
        "praise": "Thank you so much for your comment! 💙",
        "buying": "Thanks for your interest! Tell us which product you'd like and we'll help "
        "you complete your order here.",
        "answer": "{title}: {body} For more details, send us a private message.",
        "greet": "Hi{name}! We're writing about your comment. {body}",
    },
}


def say(language: str, key: str, **values: str) -> str:
    """A template in the commenter's language (Spanish when unknown)."""
    return TEMPLATES.get(language, TEMPLATES["es"])[key].format(**values)


def short_answer(language: str, passage: Passage, limit: int = 180) -> str:
    """A public answer quoting one passage, cut to fit under a post."""
    body = " ".join(passage.body.split())
    body = body if len(body) <= limit else body[:limit].rsplit(" ", 1)[0] + "…"
    body += "" if body.endswith((".", "!", "?", "…")) else "."
    return say(language, "answer", title=passage.title, body=body)


def greet(language: str, name: str | None, body: str) -> str:
    """A private reply: who we are writing to and why, then the answer."""
    return say(language, "greet", name=f" {name}" if name else "", body=body)
