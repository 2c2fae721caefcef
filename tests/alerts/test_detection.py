"""The robust same-weekday check on its own: spikes flagged with evidence, the weekly
rhythm left alone, the guards (history, volume, direction) and a silent channel."""

from __future__ import annotations

from datetime import date, timedelta

from crm.alerts.detection import MIN_HISTORY, Z_THRESHOLD, assess

TUESDAY = date(2026, 11, 24)
SUNDAY = date(2026, 11, 22)


def history(day: date, values: list[float]) -> list[tuple[date, float]]:
    """`values` on the same weekday, oldest first, ending a week before `day`."""
    return [(day - timedelta(weeks=len(values) - i), v) for i, v in enumerate(values)]


def test_a_tuesday_spike_is_flagged_with_its_evidence() -> None:
    past = history(TUESDAY, [19, 21, 20, 22, 18, 20, 21, 19])
    anomaly = assess("message_volume", "whatsapp", TUESDAY, 80, 80, past)
    assert anomaly is not None and anomaly.direction == "high"
    assert anomaly.robust_z >= Z_THRESHOLD
    assert anomaly.expected_low < 20 < anomaly.expected_high < 80
    evidence = anomaly.evidence
    assert evidence["median"] == 20 and evidence["value"] == 80
    assert [point["day"] for point in evidence["history"]] == [d.isoformat() for d, _ in past]
    assert all(date.fromisoformat(p["day"]).weekday() == 1 for p in evidence["history"])
    assert "whatsapp" in anomaly.message and "Tuesday" in anomaly.message


def test_a_quiet_sunday_is_normal_for_a_sunday() -> None:
    # 14 messages would be 3 weeks of lows against weekdays around 60, not against Sundays
    past = history(SUNDAY, [15, 13, 14, 16, 12, 14, 15, 13])
    assert assess("message_volume", "whatsapp", SUNDAY, 14, 14, past) is None
    assert assess("message_volume", "whatsapp", SUNDAY, 60, 60, past) is not None


def test_too_little_history_gives_no_verdict() -> None:
    past = history(TUESDAY, [20] * (MIN_HISTORY - 1))
    assert assess("message_volume", "whatsapp", TUESDAY, 500, 500, past) is None


def test_small_counts_and_thin_ratios_are_not_news() -> None:
    assert assess("message_volume", "messenger", TUESDAY, 6, 6, history(TUESDAY, [1] * 8)) is None
    shares = history(TUESDAY, [0.05, 0.06, 0.04, 0.05, 0.05, 0.06])
    assert assess("negative_share", "all", TUESDAY, 0.5, 8, shares) is None  # 8 scored
    flagged = assess("negative_share", "all", TUESDAY, 0.5, 120, shares)
    assert flagged is not None and flagged.direction == "high"


def test_only_the_harmful_direction_alerts() -> None:
    fast = history(TUESDAY, [300, 320, 310, 290, 305, 315])
    assert assess("median_first_response_seconds", "all", TUESDAY, 20, 40, fast) is None
    slow = assess("median_first_response_seconds", "all", TUESDAY, 3600, 40, fast)
    assert slow is not None and slow.direction == "high"
    conversion = history(TUESDAY, [0.2, 0.22, 0.19, 0.21, 0.2])
    assert assess("conversion_rate", "all", TUESDAY, 0.02, 50, conversion).direction == "low"


def test_a_channel_with_nothing_where_it_usually_has_traffic_went_silent() -> None:
    anomaly = assess("message_volume", "instagram", TUESDAY, 0, 0, history(TUESDAY, [8] * 8))
    assert anomaly is not None and anomaly.metric == "channel_silent"
    assert anomaly.direction == "silent" and "went silent" in anomaly.message
