"""Post text from a campaign and a product: local templates, or the LLM chain with a key.

Without an LLM key a caption is assembled from per-language templates (es / en): a hook
for the campaign's goal, the product's facts from the knowledge base, a call to action for
the channel, and hashtags. With a key the LLM chain writes it from a versioned prompt
(`prompts/post.<version>.md`) given only the product's row, falling back to the template
when every provider fails. Either way `fit` enforces Instagram's limits (2,200 characters,
30 hashtags), which also keep a Facebook post readable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import psycopg

from crm.content.products import Product
from crm.conversation.knowledge import Passage
from crm.conversation.llm import LLMChain, Prompt
from crm.conversation.understanding import fold

MAX_CAPTION = 2200
MAX_HASHTAGS = 30
PROMPT = Prompt("post", "v1", (Path(__file__).parent / "prompts" / "post.v1.md").read_text())
GOALS = ("launch", "promotion", "awareness", "engagement")
TONES = ("friendly", "professional", "playful")
CHANNELS = ("instagram", "facebook")
HASHTAG = re.compile(r"#\w+")

HOOKS = {
    "es": {
        "launch": "Llegó {name}.",
        "promotion": "{campaign}: {name} a {price} {currency}.",
        "awareness": "Te presentamos {name}.",
        "engagement": "¿Ya conoces {name}? Cuéntanos qué te parece.",
    },
    "en": {
        "launch": "{name} is here.",
        "promotion": "{campaign}: {name} for {price} {currency}.",
        "awareness": "Meet {name}.",
        "engagement": "Have you tried {name}? Tell us what you think.",
    },
}
FACTS = {
    "es": {
        "price": "Precio: {} {}.",
        "warranty": "Garantía: {}.",
        "availability": "Disponibilidad: {}.",
    },
    "en": {
        "price": "Price: {} {}.",
        "warranty": "Warranty: {}.",
        "availability": "Availability: {}.",
    },
}
CALLS = {
    "es": {
        "instagram": "Escríbenos por DM y te ayudamos con tu pedido.",
        "facebook": "Escríbenos por Messenger o visita el enlace para pedir el tuyo.",
    },
    "en": {
        "instagram": "Send us a DM and we will help you order.",
        "facebook": "Message us or follow the link to order yours.",
    },
}
TONE_MARKS = {"friendly": ("✨ ", "👉 "), "professional": ("", ""), "playful": ("🎉 ", "🚀 ")}
GENERIC_TAGS = {"es": ["#Tecnologia", "#Ofertas"], "en": ["#Tech", "#Deals"]}


@dataclass(frozen=True)
class Campaign:
    name: str
    goal: str
    language: str
    tone: str = "friendly"
    product: str | None = None


@dataclass(frozen=True)
class Draft:
    caption: str
    hashtags: list[str]
    call_to_action: str | None
    generator: str


def hashtag(text: str) -> str:
    """`Nova 16 Pro laptop` -> `#Nova16ProLaptop` (accents folded, punctuation dropped)."""
    return "#" + "".join(word.capitalize() for word in re.findall(r"[a-z0-9]+", fold(text)))


def unique_tags(tags: list[str]) -> list[str]:
    """Tags without repeats (case-insensitive) or empty ones, at most MAX_HASHTAGS."""
    seen: dict[str, str] = {}
    for tag in tags:
        if len(tag) > 1:
            seen.setdefault(tag.lower(), tag)
    return list(seen.values())[:MAX_HASHTAGS]


def fit(body: str, hashtags: list[str], call: str | None) -> str:
    """The full caption within MAX_CAPTION: body, call to action, hashtags; the body is
    shortened at a word boundary when the whole would be too long."""
    tail = "\n\n".join(part for part in (call, " ".join(hashtags)) if part)
    room = MAX_CAPTION - len(tail) - 2
    if len(body) > room:
        body = body[: room - 1].rsplit(" ", 1)[0] + "…"
    return f"{body}\n\n{tail}" if tail else body


def template_draft(campaign: Campaign, product: Product, channel: str) -> Draft:
    """The caption from the local templates: no network, always available."""
    language = campaign.language
    hook_mark, call_mark = TONE_MARKS[campaign.tone]
    hook = HOOKS[language][campaign.goal].format(
        name=product.name,
        campaign=campaign.name,
        price=product.price,
        currency=product.currency,
    )
    facts = [
        FACTS[language][field].format(*values)
        for field, values in (
            ("price", (product.price, product.currency)),
            ("warranty", (product.warranty,)),
            ("availability", (product.availability,)),
        )
        if values[0]
    ]
    if campaign.goal == "promotion":
        facts = facts[1:]  # the hook already gives the price
    call = call_mark + CALLS[language][channel]
    tags = [hashtag(campaign.name), hashtag(product.name)]
    tags += [hashtag(product.category)] if product.category else []
    tags = unique_tags(tags + GENERIC_TAGS[language])
    body = " ".join([hook_mark + hook, *facts])
    return Draft(fit(body, tags, call), tags, call, "template")


def llm_draft(
    conn: psycopg.Connection, chain: LLMChain, campaign: Campaign, product: Product, channel: str
) -> Draft | None:
    """The caption the LLM writes from the product's row alone; None when every provider
    failed (the caller uses the template)."""
    brief = (
        f"Campaign: {campaign.name}. Goal: {campaign.goal}. Tone: {campaign.tone}. "
        f"Channel: {channel}. Write the post."
    )
    passage = Passage(
        product.source or product.name, product.name, product.language, product.facts()
    )
    result = LLMChain(chain.adapters, PROMPT).reply(conn, brief, campaign.language, [passage], [])
    if result is None or not result.text.strip():
        return None
    tags = unique_tags(HASHTAG.findall(result.text))
    lines = [line.strip() for line in HASHTAG.sub("", result.text).strip().splitlines()]
    lines = [line for line in lines if line]
    call = lines[-1] if len(lines) > 1 else None
    body = "\n".join(lines[:-1] if call else lines)
    return Draft(fit(body, tags, call), tags, call, f"{result.provider}:{result.model}:post.v1")
