"""The listing-day rule: submission windows, announcements, attention windows, recent days (DST included)."""

from datetime import UTC, date, datetime, timedelta

import pytest

from hotpapers_tui.live.calendar import (
    announcement,
    attention_window,
    is_listing_day,
    previous_listing_day,
    recent_listing_days,
    submission_window,
)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_sample_day_tuesday() -> None:
    # Hot Papers 2021-06-22: submitted Fri 18 and Mon 21 June before 14:00 EDT, announced Mon 21 at 20:00 EDT.
    window = submission_window(date(2021, 6, 22))
    assert window.start == utc(2021, 6, 18, 18)
    assert window.end == utc(2021, 6, 21, 18)
    assert announcement(date(2021, 6, 22)) == utc(2021, 6, 22, 0)


def test_thursday_holds_tuesday_to_wednesday() -> None:
    window = submission_window(date(2021, 6, 24))
    assert (window.start, window.end) == (utc(2021, 6, 22, 18), utc(2021, 6, 23, 18))
    assert announcement(date(2021, 6, 24)) == utc(2021, 6, 24, 0)


def test_monday_holds_thursday_to_friday_announced_sunday() -> None:
    window = submission_window(date(2021, 6, 21))
    assert (window.start, window.end) == (utc(2021, 6, 17, 18), utc(2021, 6, 18, 18))
    assert announcement(date(2021, 6, 21)) == utc(2021, 6, 21, 0)


def test_friday_holds_wednesday_to_thursday() -> None:
    window = submission_window(date(2021, 6, 25))
    assert (window.start, window.end) == (utc(2021, 6, 23, 18), utc(2021, 6, 24, 18))


def test_windows_tile_the_week() -> None:
    day = date(2026, 1, 5)
    for _ in range(20):
        nxt = day + timedelta(days=1)
        while not is_listing_day(nxt):
            nxt += timedelta(days=1)
        assert submission_window(day).end == submission_window(nxt).start
        assert previous_listing_day(nxt) == day
        day = nxt


def test_spring_dst_change() -> None:
    # Clocks went forward on Sunday 8 March 2026: Friday's cutoff is EST, Monday's EDT.
    assert announcement(date(2026, 3, 9)) == utc(2026, 3, 9, 0)
    window = submission_window(date(2026, 3, 10))
    assert (window.start, window.end) == (utc(2026, 3, 6, 19), utc(2026, 3, 9, 18))
    assert window.end - window.start == timedelta(hours=71)


def test_autumn_dst_change() -> None:
    # Clocks went back on Sunday 1 November 2026: the Sunday 20:00 announcement is EST.
    assert announcement(date(2026, 11, 2)) == utc(2026, 11, 2, 1)
    window = submission_window(date(2026, 11, 3))
    assert (window.start, window.end) == (utc(2026, 10, 30, 18), utc(2026, 11, 2, 19))


@pytest.mark.parametrize("weekend", [date(2026, 11, 21), date(2026, 11, 22)])
def test_weekends_are_not_listing_days(weekend: date) -> None:
    assert not is_listing_day(weekend)
    with pytest.raises(ValueError, match="Monday to Friday"):
        submission_window(weekend)
    with pytest.raises(ValueError):
        announcement(weekend)


def test_attention_window_never_past_now() -> None:
    day = date(2026, 11, 24)
    full = attention_window(day, 2, utc(2026, 12, 10))
    assert (full.start, full.end) == (utc(2026, 11, 24, 1), utc(2026, 11, 26, 1))
    now = utc(2026, 11, 24, 12, 15)
    clipped = attention_window(day, 2, now)
    assert clipped.end == now
    assert attention_window(day, 2, utc(2026, 11, 24, 0)).empty


def test_recent_listing_days() -> None:
    now = utc(2026, 11, 24, 12, 15)  # Tuesday morning in New York: Tuesday's listing is out
    assert recent_listing_days(now, 3) == [date(2026, 11, 20), date(2026, 11, 23), date(2026, 11, 24)]
    days = recent_listing_days(now)
    assert len(days) == 30
    assert days == sorted(days)
    assert all(is_listing_day(d) for d in days)
    assert days[0] == date(2026, 10, 14)


def test_recent_listing_days_before_the_announcement() -> None:
    assert recent_listing_days(utc(2026, 11, 24, 0, 59), 1) == [date(2026, 11, 23)]
    assert recent_listing_days(utc(2026, 11, 24, 1, 0), 1) == [date(2026, 11, 24)]
    # Friday evening and the weekend announce nothing: Monday's listing comes on Sunday evening.
    assert recent_listing_days(utc(2026, 11, 22, 12), 1) == [date(2026, 11, 20)]
    assert recent_listing_days(utc(2026, 11, 23, 1), 1) == [date(2026, 11, 23)]
    assert recent_listing_days(utc(2026, 11, 23), 0) == []
