"""Captions from the local templates: grounded in the knowledge base's product row, within
Instagram's limits (2,200 characters, 30 hashtags), in Spanish and English."""

from __future__ import annotations

import psycopg
import pytest

from crm.content.captions import (
    CHANNELS,
    GOALS,
    MAX_CAPTION,
    MAX_HASHTAGS,
    TONES,
    Campaign,
    fit,
    hashtag,
    template_draft,
    unique_tags,
)
from crm.content.products import find_product, knowledge_products

NAMES = {"es": "Laptop Nova 14", "en": "Nova 14 laptop"}
WARRANTY = {"es": "12 meses", "en": "12 months"}


@pytest.mark.parametrize("language", ["es", "en"])
def test_template_captions_are_grounded_and_within_limits(knowledge: str, language: str) -> None:
    with psycopg.connect(knowledge) as conn:
        product = find_product(conn, language, "nova 14")
    assert product is not None and product.name == NAMES[language]
    for goal in GOALS:
        for tone in TONES:
            for channel in CHANNELS:
                campaign = Campaign("Black Friday", goal, language, tone, "nova 14")
                draft = template_draft(campaign, product, channel)
                assert len(draft.caption) <= MAX_CAPTION
                assert 0 < len(draft.hashtags) <= MAX_HASHTAGS
                assert NAMES[language] in draft.caption
                assert "749.00" in draft.caption
                assert all(tag in draft.caption for tag in draft.hashtags)
                assert draft.call_to_action and draft.call_to_action in draft.caption
                if goal != "promotion":
                    assert WARRANTY[language] in draft.caption


def test_spanish_campaign_reads_spanish_products_and_english_reads_english(knowledge: str):
    with psycopg.connect(knowledge) as conn:
        spanish = knowledge_products(conn, "es")
        english = knowledge_products(conn, "en")
    assert {p.language for p in spanish} == {"es"} and {p.language for p in english} == {"en"}
    assert "Monitor Vista 27" in {p.name for p in spanish}
    assert next(p for p in spanish if p.name == "Monitor Vista 27").price == "289.00"


def test_an_unknown_product_is_not_invented(knowledge: str) -> None:
    with psycopg.connect(knowledge) as conn:
        assert find_product(conn, "es", "Tostadora Galáctica 3000") is None


def test_fit_keeps_a_caption_within_2200_characters_and_30_hashtags() -> None:
    tags = unique_tags([f"#Tag{i}" for i in range(45)] + ["#tag1"])
    caption = fit("palabra " * 600, tags, "Escríbenos por DM.")
    assert len(tags) == MAX_HASHTAGS
    assert len(caption) <= MAX_CAPTION
    assert caption.endswith(" ".join(tags)) and "Escríbenos por DM." in caption


def test_hashtags_fold_accents_and_punctuation() -> None:
    assert hashtag("Audífonos Pulse inalámbricos") == "#AudifonosPulseInalambricos"
    assert hashtag("Nova 16 Pro laptop") == "#Nova16ProLaptop"
