"""Variations of a written sentence the way people type in chat apps.

Each variant applies a few edits drawn from a generator seeded by the sentence itself,
so the corpus is the same on every machine: accents dropped, lowercase, punctuation
gone, chat abbreviations and slang ("q", "porfa", "pls", "u"), a typo, stretched
letters, an emoji matching the sentiment.
"""

from __future__ import annotations

import random
import re
import unicodedata
import zlib
from collections.abc import Callable

SLANG = {
    "es": {
        r"\bque\b": "q",
        r"\bqué\b": "q",
        r"\bpor favor\b": "porfa",
        r"\bpor\b": "x",
        r"\bquiero\b": "kiero",
        r"\btambién\b": "tb",
        r"\bporque\b": "xq",
        r"\bpara\b": "pa",
        r"\bestá\b": "ta",
        r"\bhola\b": "ola",
        r"\bmuy\b": "mui",
        r"\bnecesito\b": "nesecito",
        r"\bdónde\b": "donde",
        r"\bcuánto\b": "cuanto",
        r"\bgracias\b": "grax",
        r"\bmensaje\b": "msj",
        r"\bbueno\b": "bno",
    },
    "en": {
        r"\byou\b": "u",
        r"\bplease\b": "pls",
        r"\bthanks\b": "thx",
        r"\bare\b": "r",
        r"\bwant to\b": "wanna",
        r"\bgoing to\b": "gonna",
        r"\bfor\b": "4",
        r"\bto\b": "2",
        r"\bi don't know\b": "idk",
        r"\bas soon as possible\b": "asap",
        r"\bright now\b": "rn",
        r"\bbecause\b": "bc",
        r"\bwhat's\b": "whats",
        r"\bdon't\b": "dont",
        r"\bi'm\b": "im",
        r"\bpeople\b": "ppl",
        r"\bmessage\b": "msg",
    },
}
EMOJIS = {  # tuples, not strings: "❤️" is two code points
    "positive": ("😊", "🙌", "❤️", "😍", "👏", "🥰"),
    "neutral": ("🙏", "🤔", "👀", "📦"),
    "negative": ("😡", "😤", "👎", "😠", "💢", "😞"),
}
KEYBOARD_NEIGHBOURS = dict(zip("aeiosnrtlcdmup", "sraplmtyknsnyo", strict=True))


def _plain(text: str, rng: random.Random) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _lower(text: str, rng: random.Random) -> str:
    return text.lower()


def _no_punctuation(text: str, rng: random.Random) -> str:
    return re.sub(r"[¿¡?!.,;:]", "", text).strip()


def _typo(text: str, rng: random.Random) -> str:
    words = [i for i, w in enumerate(text.split(" ")) if len(w) > 3 and w.isalpha()]
    if not words:
        return text
    parts = text.split(" ")
    index = rng.choice(words)
    word, at = parts[index], rng.randrange(1, len(parts[index]) - 1)
    edits = (
        word[:at] + word[at + 1 :],  # dropped letter
        word[:at] + word[at + 1] + word[at] + word[at + 2 :],  # swapped letters
        word[:at] + word[at] + word[at:],  # doubled letter
        word[:at] + KEYBOARD_NEIGHBOURS.get(word[at], word[at]) + word[at + 1 :],  # fat finger
    )
    parts[index] = rng.choice(edits)
    return " ".join(parts)


def _stretch(text: str, rng: random.Random) -> str:
    return re.sub(r"([aeiou])(\W*)$", lambda m: m.group(1) * rng.randint(2, 4) + m.group(2), text)


def _exclaim(text: str, rng: random.Random) -> str:
    return text.rstrip(".") + rng.choice(("!!", "??", "...", " !!!"))


EDITS: tuple[Callable[[str, random.Random], str], ...] = (
    _plain,
    _lower,
    _no_punctuation,
    _typo,
    _stretch,
    _exclaim,
)


def _slang(text: str, lang: str, rng: random.Random) -> str:
    """Replace one or two of the language's words with their chat spelling."""
    found = [p for p in SLANG[lang] if re.search(p, text, flags=re.IGNORECASE)]
    for pattern in rng.sample(found, k=min(len(found), rng.randint(1, 2))):
        text = re.sub(pattern, SLANG[lang][pattern], text, flags=re.IGNORECASE)
    return text


def variants(text: str, lang: str, sentiment: str, count: int) -> list[str]:
    """`count` chat-style variations of `text`, the same ones on every run."""
    rng = random.Random(zlib.crc32(f"{lang}:{text}".encode()))
    out = []
    for _ in range(count):
        varied = _slang(text, lang, rng) if rng.random() < 0.6 else text
        for edit in rng.sample(EDITS, k=rng.randint(1, 3)):
            varied = edit(varied, rng)
        if varied == text:  # the drawn edits found nothing to change
            varied = _typo(varied, rng)
        if rng.random() < 0.3:
            varied = f"{varied} {rng.choice(EMOJIS[sentiment])}"
        out.append(varied)
    return out
