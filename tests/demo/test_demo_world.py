"""The sample world is deterministic, varied and realistic enough to exercise the pipeline."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from itertools import pairwise

from crm.demo.traffic import build_traffic
from crm.demo.world import build_world

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def test_same_seed_builds_the_same_world_and_bytes():
    first, second = (
        build_world(seed=11, people=30, now=NOW),
        build_world(seed=11, people=30, now=NOW),
    )
    assert first == second
    assert [d.body for d in build_traffic(first).deliveries] == [
        d.body for d in build_traffic(second).deliveries
    ]


def test_another_seed_builds_another_world():
    assert (
        build_world(seed=1, people=30, now=NOW).people
        != build_world(seed=2, people=30, now=NOW).people
    )


def test_message_ids_do_not_depend_on_the_clock():
    early = build_world(seed=5, people=20, now=NOW)
    late = build_world(seed=5, people=20, now=NOW + timedelta(days=3))
    assert early.messages[0].id in {m.id for m in late.messages}


def test_ids_are_unique(small_world):
    ids = [m.id for m in small_world.messages]
    assert len(ids) == len(set(ids))


def test_world_spans_channels_languages_and_countries(small_world):
    assert {m.channel for m in small_world.messages} == {"whatsapp", "instagram", "messenger"}
    assert {p.language for p in small_world.people} == {"es", "en"}
    assert len({p.country.code for p in small_world.people}) >= 5
    assert any(len(p.channels) == 2 for p in small_world.people)
    assert Counter(m.direction for m in small_world.messages)["outbound"] > 0


def test_messages_fall_in_the_last_thirty_days(small_world):
    assert all(NOW - timedelta(days=31) <= m.at < NOW for m in small_world.messages)


def test_some_conversations_pause_more_than_a_day(small_world):
    by_person: dict[tuple[str, str], list] = {}
    for m in small_world.messages:
        by_person.setdefault((m.person, m.channel), []).append(m.at)
    gaps = [b - a for times in by_person.values() for a, b in pairwise(times)]
    assert any(gap > timedelta(hours=24) for gap in gaps)


def test_wa_ids_are_e164_digits_with_real_world_variants():
    people = build_world(seed=7, people=300, now=NOW).people
    assert all(p.phone.wa_id.isdigit() and p.phone.e164.isdigit() for p in people)
    variants = [p for p in people if p.phone.wa_id != p.phone.e164]
    assert {p.country.code for p in variants} <= {"MX", "BR"} and variants
