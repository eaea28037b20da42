"""arXiv's listing calendar: which days have a listing, which submissions each holds, and when talk starts.

A listing day D is labelled like arXiv's listing: the calendar day after the 20:00 ET
announcement. Announcements happen Sunday to Thursday evenings, so listing days are
Monday to Friday, except where arXiv skipped an evening (a holiday): the listing that
evening would have made does not exist, and the next listing day holds its submissions
too. D holds the submissions made between the 14:00 ET cutoff before its announcement
and the cutoff before the previous listing day's (a Tuesday: Friday 14:00 to Monday
14:00; a Thursday: Tuesday 14:00 to Wednesday 14:00). Moderation delays are not modelled.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

EASTERN = ZoneInfo("America/New_York")
CUTOFF = time(14, 0)
ANNOUNCEMENT = time(20, 0)

# Evenings (New York dates) on which arXiv made no announcement, as arXiv published them.
#
# arXiv names a holiday by the evening it skips, not by the listing that goes missing.
# Its own wording shows it: "There will be no announcement on the evening of Tuesday,
# June 9, 2020"; for Thanksgiving 2020, "no new submission announcement ... for Thursday
# 26 November. Papers submitted after 14:00 Eastern on Wednesday 25 November and before
# 14:00 Eastern on Friday 27 November will be announced at 20:00 Eastern on Sunday 29
# November". So the 2023 entry "Thu 23 November" means no listing labelled Friday
# 24 November, and Monday 27 November holds Wednesday 14:00 to Friday 14:00. The
# published archive agrees: it has no post for 2020-11-27, 2020-12-28, 2020-12-30 or
# 2020-12-31, the listing days the 2020 entries below remove.
#
# A Friday or Saturday entry changes nothing (arXiv never announces on those evenings).
_NO_ANNOUNCEMENT: dict[int, tuple[str, ...]] = {
    # arXiv's news page (info.arxiv.org/new; arXiv/arxiv-docs, new/index.md, entries of
    # 31 October 2019 for 1 January, 6 January 2020 for Martin Luther King Day, 5 June 2020
    # for the 9 June strike, 13 November 2020 for Thanksgiving and December).
    2020: (
        "2020-01-01",
        "2020-01-20",
        "2020-06-09",
        "2020-11-26",
        "2020-12-27",
        "2020-12-29",
        "2020-12-30",
    ),
    # NOT FOUND: no 2021 schedule in arXiv's stored documentation (the news page has no
    # holiday entry after December 2020; the availability page lists holidays only from
    # 2023). The one 2021 date is from the December 2020 entry, "no new submission
    # announcement on 01 January 2021", a Friday. The archive has every 2021 weekday
    # from January to its August pause except 4 January, 3 May and 23 July, which no
    # arXiv document explains, so none is taken for a holiday. Add any with extra_holidays.
    2021: ("2021-01-01",),
    # NOT FOUND: no 2022 schedule in arXiv's stored documentation (as for 2021).
    2022: (),
    # arXiv's availability page, "2023 Holidays" (info.arxiv.org/help/availability;
    # arXiv/arxiv-docs, source/help/availability.md, 2023-01-11, with 14 June added on
    # 2023-05-15 and 17 August on 2023-08-03).
    2023: (
        "2023-01-16",
        "2023-06-14",
        "2023-06-19",
        "2023-07-04",
        "2023-08-17",
        "2023-09-04",
        "2023-11-23",
        "2023-12-25",
        "2023-12-27",
    ),
    # The availability page, "2024 Holidays" (2023-12-19, with 22 May added on 2024-03-14
    # and 8 October on 2024-08-28).
    2024: (
        "2024-01-15",
        "2024-05-22",
        "2024-06-19",
        "2024-07-04",
        "2024-09-02",
        "2024-10-08",
        "2024-11-28",
        "2024-12-25",
        "2024-12-26",
        "2024-12-31",
    ),
    # The availability page, "2025 Holidays" (2025-01-06, final on 2025-08-06). Monday
    # 26 May was listed and removed again the same day, so it is not here. Independence
    # Day fell on a Friday; arXiv skipped the Sunday 6 July announcement instead.
    2025: (
        "2025-01-01",
        "2025-01-20",
        "2025-06-19",
        "2025-07-06",
        "2025-09-01",
        "2025-11-27",
        "2025-12-25",
        "2025-12-30",
    ),
    # The availability page, "2026 Holidays" (2026-01-08, unchanged on 2026-05-13). Three
    # entries are Fridays (19 June, 3 July, 25 December) and so change no listing; if arXiv
    # skips the following Sunday as it did in 2025, add that Sunday with extra_holidays.
    2026: (
        "2026-01-01",
        "2026-01-19",
        "2026-06-19",
        "2026-07-03",
        "2026-09-07",
        "2026-11-26",
        "2026-12-25",
        "2026-12-29",
        "2026-12-31",
    ),
    # NOT FOUND: arXiv had not published its 2027 holidays in the stored documentation
    # (the newest availability page, of 2026-05-13, lists 2026 only). Add them with
    # extra_holidays once arXiv does.
    2027: (),
}

PUBLISHED_HOLIDAYS: frozenset[date] = frozenset(
    date.fromisoformat(text) for dates in _NO_ANNOUNCEMENT.values() for text in dates
)
"""Every evening of 2020 to 2027 on which arXiv's published schedule says it made no announcement."""

UNKNOWN_YEARS: tuple[int, ...] = (2021, 2022, 2027)
"""Years whose holiday schedule is not in arXiv's stored documentation: their holidays are not modelled."""


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


def _eastern(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, tzinfo=EASTERN).astimezone(UTC)


def _last_weekday_before(day: date) -> date:
    day -= timedelta(days=1)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


@dataclass(frozen=True, slots=True)
class ListingCalendar:
    """arXiv's listing days given the evenings it skipped (by default, its published holidays)."""

    skipped: frozenset[date] = PUBLISHED_HOLIDAYS
    """Evenings (New York dates) with no announcement."""

    def with_holidays(self, extra: Iterable[date]) -> ListingCalendar:
        """This calendar with more skipped evenings."""
        more = frozenset(extra)
        return self if more <= self.skipped else ListingCalendar(self.skipped | more)

    def is_listing_day(self, day: date) -> bool:
        """True for Monday to Friday when the evening before had an announcement."""
        return day.weekday() < 5 and day - timedelta(days=1) not in self.skipped

    def why_not_listed(self, day: date) -> str | None:
        """Why ``day`` has no listing, for the user; None for a listing day."""
        if day.weekday() >= 5:
            return f"{day.isoformat()} is a {day:%A}: arXiv lists papers Monday to Friday"
        evening = day - timedelta(days=1)
        if evening in self.skipped:
            after = self.next_listing_day(day)
            return (
                f"arXiv made no announcement on the evening of {evening:%A} {evening.isoformat()} (a holiday), "
                f"so there is no listing {day.isoformat()}; its submissions are in {after.isoformat()}'s"
            )
        return None

    def previous_listing_day(self, day: date) -> date:
        """The listing day before ``day``."""
        day -= timedelta(days=1)
        while not self.is_listing_day(day):
            day -= timedelta(days=1)
        return day

    def next_listing_day(self, day: date) -> date:
        """The listing day after ``day``."""
        day += timedelta(days=1)
        while not self.is_listing_day(day):
            day += timedelta(days=1)
        return day

    def _check(self, day: date) -> None:
        why = self.why_not_listed(day)
        if why is not None:
            raise ValueError(why)

    def announcement(self, day: date) -> datetime:
        """When listing day ``day`` was announced: 20:00 ET on the evening before (Sunday for a Monday)."""
        self._check(day)
        return _eastern(day - timedelta(days=1), ANNOUNCEMENT)

    def submission_window(self, day: date) -> Window:
        """The submission times (v1) of the papers listing day ``day`` announces.

        Each listing day's cutoff is 14:00 ET on the last weekday before it; its window
        starts at the previous listing day's cutoff, so after a skipped evening it spans
        the skipped day's submissions too.
        """
        self._check(day)
        start = _last_weekday_before(self.previous_listing_day(day))
        return Window(_eastern(start, CUTOFF), _eastern(_last_weekday_before(day), CUTOFF))

    def attention_window(self, day: date, window_days: int, now: datetime) -> Window:
        """From the announcement of ``day`` for ``window_days`` days, never past ``now``."""
        start = self.announcement(day)
        end = min(start + timedelta(days=window_days), now.astimezone(UTC))
        return Window(start, end)

    def newest_listing_day(self, now: datetime) -> date:
        """The newest listing day already announced at ``now``."""
        day = (now.astimezone(EASTERN) + timedelta(days=1)).date()
        while not (self.is_listing_day(day) and _eastern(day - timedelta(days=1), ANNOUNCEMENT) <= now):
            day -= timedelta(days=1)
        return day

    def listing_days(self, first: date, now: datetime) -> list[date]:
        """Every listing day from ``first`` to the newest announced at ``now``, oldest first."""
        last = self.newest_listing_day(now)
        days: list[date] = []
        day = first
        one = timedelta(days=1)
        skipped = self.skipped
        while day <= last:
            # Inlined is_listing_day: the timeline lists about a thousand days on every start.
            if day.weekday() < 5 and day - one not in skipped:
                days.append(day)
            day += one
        return days

    def recent_listing_days(self, now: datetime, limit: int = 30) -> list[date]:
        """The last ``limit`` listing days already announced at ``now``, oldest first."""
        if limit <= 0:
            return []
        days = [self.newest_listing_day(now)]
        while len(days) < limit:
            days.append(self.previous_listing_day(days[-1]))
        days.reverse()
        return days

    def listing_days_between(self, first: date, last: date) -> int:
        """How many listing days lie strictly between ``first`` and ``last``."""
        count = 0
        day = first + timedelta(days=1)
        while day < last:
            count += self.is_listing_day(day)
            day += timedelta(days=1)
        return count


PUBLISHED = ListingCalendar()
"""arXiv's calendar with its published holidays only."""

is_listing_day = PUBLISHED.is_listing_day
previous_listing_day = PUBLISHED.previous_listing_day
announcement = PUBLISHED.announcement
submission_window = PUBLISHED.submission_window
attention_window = PUBLISHED.attention_window
recent_listing_days = PUBLISHED.recent_listing_days
