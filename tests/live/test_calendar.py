"""The listing-day rule: windows, announcements, recent days (DST included), and arXiv's holidays."""

import itertools
import os
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from hotpapers_tui.live.calendar import (
    PUBLISHED,
    PUBLISHED_HOLIDAYS,
    UNKNOWN_YEARS,
    ListingCalendar,
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


# -- arXiv's holidays -------------------------------------------------------------


def test_thanksgiving_week_2023() -> None:
    # arXiv's 2023 list: no announcement on the evening of Thursday 23 November.
    week = [date(2023, 11, d) for d in range(20, 28)]
    assert [d for d in week if PUBLISHED.is_listing_day(d)] == [
        date(2023, 11, 20),
        date(2023, 11, 21),
        date(2023, 11, 22),
        date(2023, 11, 23),
        date(2023, 11, 27),
    ]
    why = PUBLISHED.why_not_listed(date(2023, 11, 24))
    assert why is not None and "evening of Thursday 2023-11-23" in why and "2023-11-27's" in why
    # Monday 27 holds Wednesday 14:00 to Friday 14:00 EST: its own window and the skipped Friday's.
    monday = submission_window(date(2023, 11, 27))
    assert (monday.start, monday.end) == (utc(2023, 11, 22, 19), utc(2023, 11, 24, 19))
    assert submission_window(date(2023, 11, 23)).end == monday.start
    assert announcement(date(2023, 11, 27)) == utc(2023, 11, 27, 1)
    with pytest.raises(ValueError, match="no listing 2023-11-24"):
        submission_window(date(2023, 11, 24))


def test_christmas_week_2023() -> None:
    # arXiv's 2023 list: Monday 25 and Wednesday 27 December.
    days = PUBLISHED.listing_days(date(2023, 12, 21), utc(2024, 1, 3, 12))
    assert days == [
        date(2023, 12, 21),
        date(2023, 12, 22),
        date(2023, 12, 25),  # announced on Sunday 24 as usual
        date(2023, 12, 27),
        date(2023, 12, 29),
        date(2024, 1, 1),
        date(2024, 1, 2),
        date(2024, 1, 3),
    ]
    assert (submission_window(date(2023, 12, 27)).start, submission_window(date(2023, 12, 27)).end) == (
        utc(2023, 12, 22, 19),
        utc(2023, 12, 26, 19),
    )
    assert (submission_window(date(2023, 12, 29)).start, submission_window(date(2023, 12, 29)).end) == (
        utc(2023, 12, 26, 19),
        utc(2023, 12, 28, 19),
    )
    for day, nxt in itertools.pairwise(days):
        assert submission_window(day).end == submission_window(nxt).start


def test_christmas_2020_matches_arxivs_own_words() -> None:
    # "Papers submitted after 14:00 Eastern on Thursday 24 December and before 14:00 Eastern on Monday 28
    # December will be announced at 20:00 Eastern on Monday 28 December" (no announcement on Sunday 27),
    # and "after 14:00 Eastern on Monday 28 December and before 14:00 Eastern on Thursday 31 December will
    # be announced at 20:00 Eastern on Thursday 31 December" (none on Tuesday 29 and Wednesday 30).
    tuesday = submission_window(date(2020, 12, 29))
    assert (tuesday.start, tuesday.end) == (utc(2020, 12, 24, 19), utc(2020, 12, 28, 19))
    assert announcement(date(2020, 12, 29)) == utc(2020, 12, 29, 1)
    new_year = submission_window(date(2021, 1, 1))
    assert (new_year.start, new_year.end) == (utc(2020, 12, 28, 19), utc(2020, 12, 31, 19))
    assert announcement(date(2021, 1, 1)) == utc(2021, 1, 1, 1)
    assert not any(is_listing_day(date(2020, 12, d)) for d in (28, 30, 31))


def test_a_skipped_sunday_removes_mondays_listing() -> None:
    # 2025: Independence Day fell on a Friday, and arXiv skipped the Sunday 6 July announcement.
    assert not is_listing_day(date(2025, 7, 7))
    window = submission_window(date(2025, 7, 8))
    assert (window.start, window.end) == (utc(2025, 7, 3, 18), utc(2025, 7, 7, 18))


def test_the_published_schedule_covers_2020_to_2027_and_says_what_is_missing() -> None:
    years = {d.year for d in PUBLISHED_HOLIDAYS}
    assert years == {2020, 2021, 2023, 2024, 2025, 2026}
    assert UNKNOWN_YEARS == (2021, 2022, 2027)
    issue_2023 = [date(2023, 1, 16), date(2023, 6, 19), date(2023, 7, 4), date(2023, 9, 4), date(2023, 11, 23)]
    assert set(issue_2023) | {date(2023, 12, 25), date(2023, 12, 27)} <= PUBLISHED_HOLIDAYS
    # A Friday entry (2026) changes nothing: arXiv never announces on Friday evenings.
    assert date(2026, 6, 19) in PUBLISHED_HOLIDAYS and is_listing_day(date(2026, 6, 22))


def test_extra_holidays_extend_the_published_ones() -> None:
    calendar = PUBLISHED.with_holidays([date(2026, 11, 23)])
    assert PUBLISHED.is_listing_day(date(2026, 11, 24)) and not calendar.is_listing_day(date(2026, 11, 24))
    assert calendar.submission_window(date(2026, 11, 25)).start == utc(2026, 11, 20, 19)
    assert PUBLISHED.with_holidays([]) is PUBLISHED
    assert ListingCalendar(frozenset()).is_listing_day(date(2023, 11, 24))  # no holidays at all: a plain Friday


def test_listing_days_and_the_newest() -> None:
    now = utc(2026, 11, 30, 20, 43)  # Monday afternoon in New York: Monday's listing is out
    assert PUBLISHED.newest_listing_day(now) == date(2026, 11, 30)
    days = PUBLISHED.listing_days(date(2023, 5, 4), now)
    assert days[0] == date(2023, 5, 4) and days[-1] == date(2026, 11, 30) and len(days) == 903
    assert date(2026, 11, 27) not in days  # Thanksgiving 2026
    assert PUBLISHED.listing_days(date(2026, 12, 1), now) == []
    # 339 weekdays from 14 January 2022 to 3 May 2023, less Tuesday 17 January 2023 (after Martin Luther King Day).
    assert PUBLISHED.listing_days_between(date(2022, 1, 13), date(2023, 5, 4)) == 338


def test_every_archive_post_is_on_a_listing_day() -> None:
    """The published archive's days against the calendar (the archive is read from HOTPAPERS_ARCHIVE_DIR)."""
    folder = os.environ.get("HOTPAPERS_ARCHIVE_DIR")
    if not folder:
        pytest.skip("HOTPAPERS_ARCHIVE_DIR is not set: the published archive is not shipped with the tests")
    days = sorted(date.fromisoformat(p.name[:10]) for p in Path(folder).glob("*---Hot-Papers.md"))
    assert len(days) == 294
    assert [d for d in days if not is_listing_day(d)] == []
    # The four listing days arXiv's 2020 holidays removed have no post.
    assert not {date(2020, 11, 27), date(2020, 12, 28), date(2020, 12, 30), date(2020, 12, 31)} & set(days)
