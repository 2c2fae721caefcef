"""A slice of the bot evaluation set through the real engine (the bench plays all of it)."""

from __future__ import annotations

from crm.conversation.evaluation import load_scripts, play

SLICE = 6  # every sixth script: both languages, every route, escalations and closures


def test_the_evaluation_set_is_big_and_bilingual():
    scripts = load_scripts()
    assert len(scripts) >= 60
    assert {s.lang for s in scripts} == {"es", "en"}
    assert len({s.id for s in scripts}) == len(scripts)


def test_a_slice_of_scripted_conversations_ends_as_expected(knowledge, config, db):
    scripts = load_scripts()[::SLICE]
    outcomes = [play(db, knowledge, s, config, n) for n, s in enumerate(scripts)]
    failed = [(o.script.id, o.route, o.escalated, o.closed) for o in outcomes if not o.passed]
    assert failed == []
