"""The demo's traffic over real HTTP to the real app lands each event once."""

from __future__ import annotations

from collections import Counter

import psycopg

from crm.demo.sender import send


def _landed(url: str) -> tuple[Counter, set]:
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "select channel, event_type, event_id from raw.channel_events"
        ).fetchall()
    return Counter((c, t) for c, t, _ in rows), set(rows)


def test_sending_a_world_lands_every_distinct_event_once(small_traffic, api_url, meta_secret, db):
    bodies = [d.body for d in small_traffic.deliveries]
    report = send(api_url, bodies, meta_secret, concurrency=4, progress=False)
    assert (report.accepted, report.failed) == (len(bodies), 0)
    counts, keys = _landed(db)
    assert counts == small_traffic.expected_events()
    assert small_traffic.known_keys() <= keys


def test_redelivering_everything_adds_no_events(small_traffic, api_url, meta_secret, db):
    secret = meta_secret
    bodies = [d.body for d in small_traffic.originals]
    send(api_url, bodies, secret, concurrency=4, progress=False)
    before, _ = _landed(db)
    again = send(api_url, bodies, secret, concurrency=4, progress=False)
    assert again.accepted == len(bodies)
    assert _landed(db)[0] == before


def test_a_wrong_secret_is_refused_and_stores_nothing(small_traffic, api_url, db):
    report = send(api_url, [small_traffic.deliveries[0].body], "not-the-secret", progress=False)
    assert report.statuses == {401: 1}
    assert _landed(db)[0] == Counter()
