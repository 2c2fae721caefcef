"""Objection rules: each kind recognised in Spanish and English, with a confidence."""

from __future__ import annotations

import pytest

from crm.sales.objections import detect, score

EXAMPLES = [
    ("price", "es", "Está muy caro para mí, no me alcanza"),
    ("price", "en", "Honestly it's too expensive for me"),
    ("timing", "es", "Ahora no, quizás el próximo mes"),
    ("timing", "en", "Not right now, maybe next month"),
    ("trust", "es", "¿Es confiable esta tienda? Me da miedo que sea una estafa"),
    ("trust", "en", "Is this legit? I don't trust online shops"),
    ("competitor", "es", "Lo vi en Amazon y en otra tienda"),
    ("competitor", "en", "I saw it on Amazon, another store has it too"),
    ("need", "es", "Ya tengo uno, no lo necesito"),
    ("need", "en", "I already have one, I don't need it"),
]


@pytest.mark.parametrize(("kind", "language", "text"), EXAMPLES)
def test_each_objection_is_recognised_in_both_languages(kind, language, text):
    found = detect([text])
    assert found and found[0].kind == kind, (language, found)
    assert 0.5 <= found[0].confidence <= 0.95 and found[0].count == 1


def test_a_plain_purchase_message_raises_no_objection():
    assert detect(["Hola, quiero comprar la laptop Nova 14", "Great, send me the link"]) == []


def test_accents_do_not_matter_and_weak_cues_alone_are_not_enough():
    assert score("esta carísimo", "price") == score("esta carisimo", "price") >= 0.8
    assert score("what is the price?", "price") == 0.0  # a question, not an objection


def test_a_repeated_objection_is_counted_per_message():
    found = detect(["is this legit?", "ok", "I don't trust sites I don't know"])
    assert [(o.kind, o.count) for o in found] == [("trust", 2)]
    assert found[0].evidence == ["is this legit?", "I don't trust sites I don't know"]
