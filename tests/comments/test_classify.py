"""Comment classes, in Spanish and English."""

from __future__ import annotations

import pytest

from crm.comments.classify import classify

EXAMPLES = [
    ("spam", False, "Gana dinero desde casa 👉 www.example.biz"),
    ("spam", False, "follow me for free followers!!"),
    ("spam", False, "son unos idiotas"),
    ("complaint", False, "Pésimo servicio, mi pedido nunca llegó"),
    ("complaint", False, "Worst shop ever, still waiting for my order"),
    ("buying", True, "Lo quiero!!"),
    ("buying", True, "precio?"),
    ("buying", True, "how much?"),
    ("buying", True, "DM me please"),
    ("question", False, "¿Lo tienen en azul?"),
    ("question", False, "Do you ship to Costa Rica?"),
    ("question", True, "¿Cuándo llega mi pedido?"),
    ("question", True, "Can I pay by card?"),
    ("praise", False, "Me encanta, qué hermoso 😍"),
    ("praise", False, "Love it!"),
    ("other", False, "@maria mira esto"),
]


@pytest.mark.parametrize(("label", "private", "text"), EXAMPLES)
def test_each_comment_gets_its_class(label, private, text):
    found = classify(text)
    assert (found.label, found.private) == (label, private)
    assert 0.5 <= found.confidence <= 1


def test_an_empty_comment_is_other():
    assert classify(None).label == classify("   ").label == "other"
