"""When to publish: the hour of the week people write to us most on the post's channel.

Inbound messages in `marts.fct_messages` over the last HISTORY_DAYS are counted by local
weekday x hour (the business time zone) for the channel the post goes to (Instagram posts
look at Instagram DMs, Page posts at Messenger). The 7 x 24 grid is smoothed: each hour
takes a quarter of each neighbour's count (around the clock and across midnight), then is
shrunk toward the same hour pooled over all weekdays, so one busy Tuesday does not decide
alone. The best slot in the coming week wins, the earliest on a tie.

With fewer than MIN_MESSAGES inbound messages there is no pattern to trust, and the
default applies: the next Tuesday, Wednesday or Thursday at 11:00 local time, the
mid-week late morning that social media studies commonly report as the best time.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import psycopg

HISTORY_DAYS = 90
MIN_MESSAGES = 50
DEFAULT_WEEKDAYS = (1, 2, 3)  # Tuesday, Wednesday, Thursday (Monday = 0)
DEFAULT_HOUR = 11
SHRINK = 1.0  # weight of the pooled hour-of-day profile against the cell's own count
MESSAGE_CHANNEL = {"instagram": "instagram", "facebook": "messenger"}

HISTORY_SQL = """
select extract(isodow from sent_at at time zone %(tz)s)::int - 1,
       extract(hour from sent_at at time zone %(tz)s)::int,
       count(*)
from marts.fct_messages
where direction = 'inbound' and channel = %(channel)s
  and sent_at >= %(since)s and sent_at < %(now)s
group by 1, 2
"""


@dataclass(frozen=True)
class Slot:
    at: datetime
    basis: str  # history or default
    messages: int  # inbound messages the choice rests on
    weekday: int
    hour: int

    def as_json(self) -> dict:
        return {**asdict(self), "at": self.at.isoformat()}


def engagement_grid(
    conn: psycopg.Connection, channel: str, timezone: str, now: datetime
) -> np.ndarray:
    """Inbound message counts by local weekday (rows, Monday first) and hour (columns)."""
    grid = np.zeros((7, 24))
    if conn.execute("select to_regclass('marts.fct_messages')").fetchone()[0] is None:
        return grid
    params = {
        "tz": timezone,
        "channel": MESSAGE_CHANNEL[channel],
        "since": now - timedelta(days=HISTORY_DAYS),
        "now": now,
    }
    for weekday, hour, count in conn.execute(HISTORY_SQL, params):
        grid[weekday, hour] = count
    return grid


def smooth(grid: np.ndarray) -> np.ndarray:
    """Neighbouring hours share a quarter of their counts (the week wraps around), then
    each weekday's hour is shrunk toward that hour's average over all weekdays."""
    week = grid.ravel()
    week = 0.5 * week + 0.25 * np.roll(week, 1) + 0.25 * np.roll(week, -1)
    smoothed = week.reshape(7, 24)
    pooled = smoothed.mean(axis=0, keepdims=True)
    return (smoothed + SHRINK * pooled) / (1 + SHRINK)


def best_slot(
    conn: psycopg.Connection,
    channel: str,
    timezone: str,
    now: datetime,
    lead: timedelta = timedelta(minutes=15),
) -> Slot:
    """The best whole hour at least `lead` from now within the next week."""
    grid = engagement_grid(conn, channel, timezone, now)
    zone = ZoneInfo(timezone)
    first = (now + lead).replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    candidates = [(first + timedelta(hours=i)).astimezone(zone) for i in range(7 * 24)]
    total = int(grid.sum())
    if total < MIN_MESSAGES:
        at = next(
            c for c in candidates if c.weekday() in DEFAULT_WEEKDAYS and c.hour == DEFAULT_HOUR
        )
        return Slot(at, "default", total, at.weekday(), at.hour)
    scores = smooth(grid)
    at = max(candidates, key=lambda c: (scores[c.weekday(), c.hour], -c.timestamp()))
    return Slot(at, "history", total, at.weekday(), at.hour)
