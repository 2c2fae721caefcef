"""Local business hours for contact: when it is a decent hour to write to a lead.

A lead's time zone (from their phone, else their country) turns our contact window,
09:00-18:00 local time Monday to Friday, into UTC hours that the follow-up and nurturing
flows can schedule against, and answers "may we write now, and if not, when?".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

OPENS, CLOSES = time(9), time(18)
WORKDAYS = range(5)  # Monday .. Friday


@dataclass(frozen=True)
class ContactHours:
    time_zone: str
    utc_offset: str  # "+HH:MM" at `at`
    window_utc: str  # "HH:MM-HH:MM": the local window in UTC at `at`
    local_time: datetime
    open_now: bool
    next_open_at: datetime  # now when open, else the next opening, in UTC


def _offset_text(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _is_open(local: datetime) -> bool:
    return local.weekday() in WORKDAYS and OPENS <= local.time() < CLOSES


def _next_open(local: datetime) -> datetime:
    """The first local opening at or after `local` (itself when already open)."""
    if _is_open(local):
        return local
    day = local if local.time() < OPENS else local + timedelta(days=1)
    while day.weekday() not in WORKDAYS:
        day += timedelta(days=1)
    return datetime.combine(day.date(), OPENS, tzinfo=local.tzinfo)


def contact_hours(time_zone: str | None, at: datetime | None = None) -> ContactHours | None:
    """The contact window of a lead in `time_zone` as seen at `at` (now by default)."""
    if not time_zone:
        return None
    zone = ZoneInfo(time_zone)
    now = (at or datetime.now(UTC)).astimezone(zone)
    offset = now.utcoffset() or timedelta(0)
    start = (datetime.combine(now.date(), OPENS) - offset).time()
    end = (datetime.combine(now.date(), CLOSES) - offset).time()
    return ContactHours(
        time_zone=time_zone,
        utc_offset=_offset_text(offset),
        window_utc=f"{start:%H:%M}-{end:%H:%M}",
        local_time=now,
        open_now=_is_open(now),
        next_open_at=_next_open(now).astimezone(UTC),
    )
