"""Language from a lead's own messages, with their country as the prior."""

from ingestion.enrichment.language import detect_language


def test_short_spanish_is_read_as_spanish_for_a_panamanian() -> None:
    # on its own, py3langid reads "hola precio?" as Portuguese
    guess = detect_language(["hola precio?"], "PA")
    assert (guess.language, guess.basis) == ("es", "messages")


def test_clear_text_overrides_the_country() -> None:
    assert detect_language(["bonjour, je voudrais acheter deux chaises"], "PA").language == "fr"
    assert detect_language(["Hi, is the blue one still in stock?"], "MX").language == "en"


def test_portuguese_for_a_brazilian() -> None:
    guess = detect_language(["Olá, quero comprar", "quanto custa?"], "BR")
    assert guess.language == "pt" and guess.confidence > 0.8


def test_without_text_the_country_decides_and_says_so() -> None:
    guess = detect_language(["👍", None], "MX")
    assert (guess.language, guess.confidence, guess.basis) == ("es", None, "country")


def test_without_text_or_country_there_is_no_guess() -> None:
    assert detect_language([], None).language is None
