"""The language a lead writes in: py3langid over their own messages, the country as a prior.

Chat messages are short ("hola precio?" reads as Portuguese on its own), so the text's
probabilities are weighed with a prior from the country's main language (Bayes: the posterior is
the likelihood times the prior) and restricted to the languages our customers write. With no text
at all the country's language is the answer, marked as such (`basis` = "country").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

LANGUAGES = ("es", "en", "pt", "fr", "it", "de")
# Main language by country; others have no prior (a uniform one).
_SPANISH = "AR BO CL CO CR CU DO EC ES GQ GT HN MX NI PA PE PR PY SV UY VE"
COUNTRY_LANGUAGE = {
    **dict.fromkeys(_SPANISH.split(), "es"),
    **dict.fromkeys(["BR", "PT", "AO", "MZ"], "pt"),
    **dict.fromkeys(["US", "GB", "IE", "AU", "NZ", "JM", "TT", "BZ", "GY"], "en"),
    **dict.fromkeys(["FR", "BE", "HT"], "fr"),
    **dict.fromkeys(["DE", "AT"], "de"),
    "IT": "it",
}
COUNTRY_PRIOR = 0.5  # the country's language; the rest shares the other half
MIN_LETTERS = 2  # below this there is nothing to read ("ok", "👍")
MAX_CHARS = 4000  # the latest messages say enough; more only costs time


@dataclass(frozen=True)
class LanguageGuess:
    language: str | None = None
    confidence: float | None = None
    basis: str | None = None  # "messages" or "country"


@cache
def _identifier() -> LanguageIdentifier:
    """The py3langid model with normalised probabilities over `LANGUAGES` (loaded once)."""
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(LANGUAGES))
    return identifier


def _prior(country_code: str | None) -> dict[str, float]:
    main = COUNTRY_LANGUAGE.get((country_code or "").upper())
    if main is None:
        return dict.fromkeys(LANGUAGES, 1 / len(LANGUAGES))
    rest = (1 - COUNTRY_PRIOR) / (len(LANGUAGES) - 1)
    return {language: COUNTRY_PRIOR if language == main else rest for language in LANGUAGES}


def detect_language(texts: Iterable[str | None], country_code: str | None = None) -> LanguageGuess:
    """The most probable language of a lead's messages given their country."""
    text = " ".join(t for t in texts if t)[:MAX_CHARS]
    if sum(ch.isalpha() for ch in text) <= MIN_LETTERS:
        main = COUNTRY_LANGUAGE.get((country_code or "").upper())
        return LanguageGuess(main, None, "country") if main else LanguageGuess()
    prior = _prior(country_code)
    joint = {language: p * prior[language] for language, p in _identifier().rank(text)}
    language = max(joint, key=joint.__getitem__)
    return LanguageGuess(language, round(joint[language] / sum(joint.values()), 4), "messages")
