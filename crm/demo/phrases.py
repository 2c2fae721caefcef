"""What the sample people write, and what the business answers, per intent and language.

Customers write like customers do on chat apps: no accents, typos, slang, emojis, several
short lines instead of one. The classifiers downstream should earn their keep on this.
"""

from __future__ import annotations

import random

PRODUCTS = {
    "es": (
        "laptop",
        "audifonos bluetooth",
        "iphone 15",
        "freidora de aire",
        "silla gamer",
        "zapatillas nike",
        "smart tv 55",
    ),
    "en": (
        "laptop",
        "wireless earbuds",
        "iphone 15",
        "air fryer",
        "gaming chair",
        "running shoes",
        "55in smart tv",
    ),
}

CUSTOMER = {
    "es": {
        "greeting": (
            "hola",
            "holaa buenas",
            "buenas tardes 👋",
            "hola q tal",
            "buen dia",
            "ola buenas noches",
            "hey buenas!!",
        ),
        "product_inquiry": (
            "tienen la {p} en color negro?",
            "info de la {p} porfa",
            "q caracteristicas tiene la {p}",
            "tienen {p} disponible??",
            "la {p} viene con garantia?",
        ),
        "price_inquiry": (
            "cuanto cuesta la {p}?",
            "precio de la {p} porfa 🙏",
            "cuanto sale?",
            "q precio tiene el envio a {city}",
            "tienen descuento x mayor?",
        ),
        "purchase_intent": (
            "la quiero!! como hago el pedido",
            "me interesa comprar 2 {p}",
            "quiero comprarla, aceptan tarjeta?",
            "necesito 500 unidades urgente",
            "dale me la llevo 🔥",
        ),
        "order_status": (
            "hola mi pedido no ha llegado",
            "donde esta mi pedido #{o}",
            "ya enviaron mi orden {o}?",
            "cuando llega mi paquete??",
        ),
        "payment": (
            "ya hice la transferencia, te paso el comprobante",
            "puedo pagar con yappy?",
            "aceptan nequi?",
            "se puede pagar en cuotas?",
            "el link de pago no me abre",
        ),
        "support_request": (
            "no me funciona la {p} 😩",
            "como configuro la {p}",
            "la {p} no prende q hago",
            "ayuda xfa con la {p}",
        ),
        "complaint": (
            "pesimo servicio, llevo 3 dias esperando 😡",
            "me llego roto el producto!!",
            "nadie responde, que mal",
            "q falta de respeto nunca contestan 🤬",
        ),
        "cancellation_refund": (
            "quiero cancelar mi pedido",
            "necesito un reembolso ya",
            "quiero devolver la {p}",
            "cancelen la orden {o} x favor",
        ),
        "human_agent": (
            "quiero hablar con una persona",
            "me pasas con un asesor porfa",
            "no quiero bot, un humano x favor",
            "hay alguien ahi??",
        ),
        "other": ("jajaja ok", "gracias!!", "👍", "ok dale", "manana te escribo", "listo bro"),
    },
    "en": {
        "greeting": ("hi", "hey there 👋", "hello!", "hi good morning", "yo"),
        "product_inquiry": (
            "do u have the {p} in black?",
            "any info on the {p} pls",
            "is the {p} in stock??",
            "does the {p} come w warranty",
        ),
        "price_inquiry": (
            "how much is the {p}?",
            "price for the {p}?",
            "whats the shipping to {city}",
            "any discount if i buy 10?",
        ),
        "purchase_intent": (
            "i want to buy 2 {p}",
            "ok ill take it 🔥",
            "how do i place an order",
            "need 500 units asap",
        ),
        "order_status": (
            "where is my order #{o}??",
            "my package hasnt arrived yet",
            "any update on order {o}?",
        ),
        "payment": ("can i pay with paypal?", "just sent the payment", "payment link not working"),
        "support_request": (
            "my {p} wont turn on 😩",
            "how do i set up the {p}",
            "need help w the {p}",
        ),
        "complaint": (
            "this is ridiculous, 3 days no answer 😡",
            "item arrived broken!!",
            "worst service ever",
        ),
        "cancellation_refund": (
            "i want a refund",
            "pls cancel order {o}",
            "how do i return the {p}",
        ),
        "human_agent": ("can i talk to a real person", "agent please", "is anyone there??"),
        "other": ("thx!", "lol ok", "👍", "cool", "ok ttyl"),
    },
}

BUSINESS = {
    "es": {
        "greeting": "¡Hola {n}! 👋 Gracias por escribirnos. ¿En qué te podemos ayudar?",
        "product_inquiry": "Sí, tenemos la {p} disponible en negro y gris. ¿Te envío fotos?",
        "price_inquiry": "La {p} está en ${price}. El envío a {city} es gratis esta semana.",
        "purchase_intent": "¡Perfecto! Te dejo el enlace de pago: https://pay.example.com/{o}",
        "order_status": "Tu pedido #{o} salió ayer, llega en 24-48 h. 🚚",
        "payment": "Recibido, gracias. Confirmamos tu pago en unos minutos.",
        "support_request": "Lamentamos el inconveniente. ¿Puedes enviarnos una foto o video?",
        "complaint": "Lo sentimos mucho, {n}. Ya escalamos tu caso con prioridad.",
        "cancellation_refund": "Procesamos tu solicitud; el reembolso tarda 3-5 días hábiles.",
        "human_agent": "Te paso con un asesor ahora mismo. Un momento por favor.",
        "other": "¡Con gusto! 😊",
    },
    "en": {
        "greeting": "Hi {n}! 👋 Thanks for reaching out. How can we help?",
        "product_inquiry": "Yes, the {p} is in stock in black and grey. Want some photos?",
        "price_inquiry": "The {p} is ${price}. Shipping to {city} is free this week.",
        "purchase_intent": "Great! Here is your payment link: https://pay.example.com/{o}",
        "order_status": "Order #{o} shipped yesterday, arriving in 24-48 h. 🚚",
        "payment": "Got it, thanks. We'll confirm your payment shortly.",
        "support_request": "Sorry about that. Could you send us a photo or video?",
        "complaint": "We're very sorry, {n}. Your case has been escalated.",
        "cancellation_refund": "Request received; refunds take 3-5 business days.",
        "human_agent": "Connecting you with an agent now, one moment please.",
        "other": "You're welcome! 😊",
    },
}

# Intent sequences a conversation follows; the first one opens it.
SCRIPTS = (
    ("greeting", "product_inquiry", "price_inquiry", "purchase_intent", "payment"),
    ("greeting", "price_inquiry", "other"),
    ("price_inquiry", "purchase_intent"),
    ("order_status", "complaint", "human_agent"),
    ("support_request", "complaint", "cancellation_refund"),
    ("greeting", "product_inquiry"),
    ("order_status", "other"),
    ("human_agent",),
    ("purchase_intent", "payment", "order_status"),
)

EMOJIS = ("🙏", "😅", "👀", "🔥", "😊", "🤔", "!!", "??", "...")


def customer_text(rng: random.Random, lang: str, intent: str, context: dict[str, str]) -> str:
    """One customer line for an intent, filled and roughed up like real chat text."""
    text = rng.choice(CUSTOMER[lang][intent]).format(**context)
    if rng.random() < 0.2:
        text = typo(rng, text)
    if rng.random() < 0.15:
        text += " " + rng.choice(EMOJIS)
    if rng.random() < 0.1:
        text = text.upper() if intent == "complaint" else text.capitalize()
    return text


def business_text(lang: str, intent: str, context: dict[str, str]) -> str:
    """The business's canned answer to an intent (proper spelling, accents and all)."""
    return BUSINESS[lang][intent].format(**context)


def typo(rng: random.Random, text: str) -> str:
    """Swap, drop or double one letter, as thumbs on a phone do."""
    letters = [i for i, ch in enumerate(text) if ch.isalpha()]
    if len(letters) < 4:
        return text
    i = rng.choice(letters[1:-1])
    kind = rng.randrange(3)
    if kind == 0:
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    if kind == 1:
        return text[:i] + text[i + 1 :]
    return text[:i] + text[i] + text[i:]
