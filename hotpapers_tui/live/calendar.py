"""arXiv's listing calendar: which submissions a listing day holds and when talk about them starts.

A listing day D is labelled like arXiv's listing: the calendar day after the 20:00 ET
announcement. Announcements happen Sunday to Thursday evenings, so listing days are
Monday to Friday. D holds the submissions made between the 14:00 ET cutoffs before its
announcement and before the previous one (a Tuesday: Friday 14:00 to Monday 14:00; a
Thursday: Tuesday 14:00 to Wednesday 14:00). Holidays and moderation delays are not
modelled: the windows are the regular schedule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

EASTERN = ZoneInfo("America/New_York")
CUTOFF = time(14, 0)
ANNOUNCEMENT = time(20, 0)


@dataclass(frozen=True, slots=True)
class Window:
    """A span of time, start included, end excluded (aware datetimes, UTC)."""

    start: datetime
    end: datetime

    def __contains__(self, moment: datetime) -> bool:
        return self.start <= moment < self.end

    @property
    def empty(self) -> bool:
        return self.end <= self.start


def is_listing_day(day: date) -> bool:
    """True for Monday to Friday."""
    return day.weekday() < 5


def _eastern(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, tzinfo=EASTERN).astimezone(UTC)


def previous_listing_day(day: date) -> date:
    """The listing day before ``day``."""
    day -= timedelta(days=1)
    while not is_listing_day(day):
        day -= timedelta(days=1)
    return day


def _check(day: date) -> None:
    if not is_listing_day(day):
        raise ValueError(f"{day.isoformat()} is a {day:%A}: arXiv lists papers Monday to Friday")


def announcement(day: date) -> datetime:
    """When listing day ``day`` was announced: 20:00 ET on the evening before (Sunday for a Monday)."""
    _check(day)
    return _eastern(day - timedelta(days=1), ANNOUNCEMENT)


def _cutoff(day: date) -> datetime:
    """The 14:00 ET submission deadline of listing day ``day``: the last weekday before it."""
    submitted = day - timedelta(days=1)
    while not is_listing_day(submitted):
        submitted -= timedelta(days=1)
    return _eastern(submitted, CUTOFF)


def submission_window(day: date) -> Window:
    """The submission times (v1) of the papers listing day ``day`` announces."""
    _check(day)
    return Window(_cutoff(previous_listing_day(day)), _cutoff(day))


def attention_window(day: date, window_days: int, now: datetime) -> Window:
    """From the announcement of ``day`` for ``window_days`` days, never past ``now``."""
    start = announcement(day)
    end = min(start + timedelta(days=window_days), now.astimezone(UTC))
    return Window(start, end)


def recent_listing_days(now: datetime, limit: int = 30) -> list[date]:
    """The last ``limit`` listing days already announced at ``now``, oldest first."""
    if limit <= 0:
        return []
    day = (now.astimezone(EASTERN) + timedelta(days=1)).date()
    days: list[date] = []
    while len(days) < limit:
        if is_listing_day(day) and announcement(day) <= now:
            days.append(day)
        day -= timedelta(days=1)
    days.reverse()
    return days
