"""Personal data masked before any text leaves the machine (LLM prompts).

Card-like numbers (13-19 digits passing the Luhn check), e-mail addresses and phone
numbers become placeholders; what the model needs (the question) survives.
"""

from __future__ import annotations

import re

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
CARD = re.compile(r"\b(?:\d[ -]?){12,18}\d\b")
PHONE = re.compile(r"(?<![\w.])\+?\d[\d ().-]{6,}\d(?![\w.])")


def luhn_ok(digits: str) -> bool:
    """The checksum every payment card number passes."""
    total = 0
    for i, char in enumerate(reversed(digits)):
        value = int(char) * (2 if i % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _card(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group())
    return "[CARD]" if luhn_ok(digits) else match.group()


def _phone(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group())
    return "[PHONE]" if 7 <= len(digits) <= 15 else match.group()


def mask(text: str) -> str:
    """The text with e-mails, card numbers and phone numbers replaced by placeholders."""
    text = EMAIL.sub("[EMAIL]", text)
    text = CARD.sub(_card, text)
    return PHONE.sub(_phone, text)
