"""The best hour to publish, from inbound history in marts.fct_messages (built by dbt over
landed messages), and the documented default (Tue-Thu 11:00 local) without history."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import psycopg

from crm.content.timing import DEFAULT_HOUR, MIN_MESSAGES, best_slot, smooth

PANAMA = ZoneInfo("America/Panama")


def wednesdays_at(hour: int, weeks: int, per_day: int, now: datetime) -> list[datetime]:
    """`per_day` moments at `hour` local on each of the last `weeks` Wednesdays."""
    local = now.astimezone(PANAMA).replace(hour=hour, minute=5, second=0, microsecond=0)
    last_wednesday = local - timedelta(days=(local.weekday() - 2) % 7 or 7)
    return [
        last_wednesday - timedelta(weeks=w) + timedelta(minutes=m)
        for w in range(weeks)
        for m in range(per_day)
    ]


def test_best_hour_follows_the_channel_history(land_inbound, build_messages, db) -> None:
    now = datetime.now(UTC)
    land_inbound("instagram", wednesdays_at(19, 6, 10, now))  # the busy hour
    land_inbound("instagram", wednesdays_at(9, 2, 2, now))  # a little morning noise
    land_inbound("page", wednesdays_at(19, 1, 3, now))  # too little Messenger history
    build_messages()
    with psycopg.connect(db) as conn:
        instagram = best_slot(conn, "instagram", "America/Panama", now)
        facebook = best_slot(conn, "facebook", "America/Panama", now)
    assert instagram.basis == "history" and instagram.messages == 64
    assert (instagram.weekday, instagram.hour) == (2, 19)
    assert instagram.at > now and instagram.at - now <= timedelta(days=7)
    assert facebook.basis == "default" and facebook.messages == 3
    assert facebook.weekday in (1, 2, 3) and facebook.hour == DEFAULT_HOUR


def test_without_history_the_default_is_the_next_tue_to_thu_at_11(build_messages, db) -> None:
    build_messages()  # over nothing: an empty fct_messages
    saturday = datetime(2026, 11, 28, 15, 0, tzinfo=UTC)
    with psycopg.connect(db) as conn:
        slot = best_slot(conn, "instagram", "America/Panama", saturday)
    assert slot.basis == "default" and slot.messages < MIN_MESSAGES
    assert slot.at == datetime(2026, 12, 1, 11, 0, tzinfo=PANAMA)  # Tuesday 11:00 local


def test_smoothing_spreads_counts_to_neighbouring_hours_and_keeps_the_peak() -> None:
    grid = np.zeros((7, 24))
    grid[2, 19] = 40
    scores = smooth(grid)
    assert scores.argmax() == 2 * 24 + 19
    assert scores[2, 18] > 0 and scores[2, 20] > 0 and scores[3, 19] > 0
    assert np.isclose(scores.sum(), grid.sum())
