"""Local business hours for contact, as UTC windows and "may we write now?"."""

from datetime import UTC, datetime

from ingestion.enrichment.hours import contact_hours


def test_panama_window_in_utc() -> None:
    hours = contact_hours("America/Panama", datetime(2026, 1, 5, 15, 0, tzinfo=UTC))  # Monday
    assert (hours.utc_offset, hours.window_utc, hours.open_now) == ("-05:00", "14:00-23:00", True)
    assert hours.next_open_at == datetime(2026, 1, 5, 15, 0, tzinfo=UTC)


def test_saturday_waits_for_monday_morning() -> None:
    hours = contact_hours("America/Panama", datetime(2026, 1, 3, 15, 0, tzinfo=UTC))
    assert not hours.open_now
    assert hours.next_open_at == datetime(2026, 1, 5, 14, 0, tzinfo=UTC)


def test_after_closing_waits_for_the_next_morning() -> None:
    # Tuesday 20:00 in Madrid (winter, +01:00)
    hours = contact_hours("Europe/Madrid", datetime(2026, 1, 6, 19, 0, tzinfo=UTC))
    assert not hours.open_now
    assert hours.next_open_at == datetime(2026, 1, 7, 8, 0, tzinfo=UTC)


def test_summer_time_moves_the_utc_window() -> None:
    hours = contact_hours("Europe/Madrid", datetime(2026, 7, 1, 10, 0, tzinfo=UTC))
    assert (hours.utc_offset, hours.window_utc) == ("+02:00", "07:00-16:00")


def test_no_time_zone_no_hours() -> None:
    assert contact_hours(None) is None
