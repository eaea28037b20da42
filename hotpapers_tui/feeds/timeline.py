"""The ``timeline`` feed: the published archive's days and the live days on one line, the gap between them said."""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING

from hotpapers_tui.feeds.base import DayLoad, Feed, FeedError, Progress
from hotpapers_tui.feeds.github import stale_note
from hotpapers_tui.fetch.api import Fetched, Fetcher, FetchError
from hotpapers_tui.model import Day

if TYPE_CHECKING:
    from hotpapers_tui.live.feed import LiveFeed

OFFLINE_RETRY = 60.0
"""Seconds after the archive's listing found the network out of reach during which it is not tried again."""


class TimelineFeed:
    """Every day there is: the archive's posts (2020-06-29 to 2022-01-13), then the live days (from ``live_start``).

    Where both have a day, the archive's published post is the one shown. Listing needs no
    network when the archive's list of days is cached: the live days come from arXiv's
    calendar. When the archive cannot be listed, the live days are listed alone and
    ``start_note`` says why; when nothing at all can be shown offline, ``days`` raises.
    """

    prefetch = False
    """The live days are costly to load: the reader does not load neighbours ahead of need."""

    def __init__(
        self, archive: Feed, live: LiveFeed, *, name: str = "timeline", fetcher: Fetcher | None = None
    ) -> None:
        self.archive = archive
        """The published archive (a GitHub folder feed)."""
        self.live = live
        """The live feed."""
        self._name = name
        self._fetcher = fetcher
        """Closed by ``aclose`` when given: the fetcher both feeds share, owned by the timeline."""
        self._archive_days: list[date] = []
        self._live_days: list[date] = []
        self._archive_set: frozenset[date] = frozenset()
        self._listed = False
        self._archive_failure: tuple[float, FeedError] | None = None
        """When the archive's listing last failed for want of a network, and how."""
        self.start_note: str | None = None
        """A notice for the user when the listing is incomplete or old (the archive not listed, offline)."""

    @property
    def name(self) -> str:
        return self._name

    async def days(self) -> Sequence[date]:
        """The archive's days and the live days, oldest first; FeedError when neither can be listed."""
        notes: list[str] = []
        problem: FeedError | None = None
        try:
            archive_days = list(await self._list_archive())
        except FeedError as exc:
            problem = exc
            archive_days = []
            cause = exc.__cause__
            if isinstance(cause, FetchError) and cause.offline:
                # The archive's listing was the first request: its failure says the live days cannot be built either.
                self.live.note_offline(str(cause))
            notes.append(f"the archive could not be listed ({exc}); showing the live days only")
        else:
            listing = getattr(self.archive, "listing", None)
            if isinstance(listing, Fetched) and listing.stale:
                notes.append(f"{stale_note(listing)} (the archive's list of days)")
            cut = getattr(self.archive, "listing_note", "")
            if cut:
                notes.append(cut)
        try:
            live_days = list(await self.live.days())
        except FeedError as exc:
            if problem is not None:
                # Live days are listed offline only when kept: offline with neither half, nothing can be shown.
                cause = problem.__cause__ if isinstance(problem.__cause__, FetchError) else exc.__cause__
                why = self.live.offline_why or str(cause)
                raise FeedError(
                    f"offline ({why}): the archive's list of days is not cached, and no live day was built here"
                ) from cause
            live_days = []
            notes.append(f"the archive only: {exc}")
        if self.live.start_note:
            notes.append(self.live.start_note)
        self._archive_days = archive_days
        self._archive_set = frozenset(archive_days)
        self._live_days = [d for d in live_days if d not in self._archive_set]
        self._listed = True
        self.start_note = "; ".join(notes) or None
        return sorted([*archive_days, *self._live_days])

    async def _list_archive(self) -> Sequence[date]:
        """The archive's days; a listing that found the network out of reach moments ago is not tried again."""
        failed = self._archive_failure
        if failed is not None and time.monotonic() - failed[0] < OFFLINE_RETRY:
            raise failed[1]
        try:
            days = await self.archive.days()
        except FeedError as exc:
            cause = exc.__cause__
            if isinstance(cause, FetchError) and cause.offline:
                # The reader lists days twice as it starts: the second must not wait on the network again.
                self._archive_failure = (time.monotonic(), exc)
            raise
        self._archive_failure = None
        return days

    async def days_at_hand(self) -> Sequence[date]:
        """The archive's days and the live days kept here: what a pass over every day can afford to load."""
        if not self._listed:
            await self.days()
        kept = [d for d in self.live.kept_days() if d not in self._archive_set]
        return sorted([*self._archive_days, *kept])

    async def load_at_hand(self, day: date) -> DayLoad:
        """An archive day as ``load`` reads it, a live day only as kept here (never built)."""
        if await self._is_archive_day(day):
            return await self.archive.load(day)
        return await self.live.load_at_hand(day)

    def day_stamp(self, day: date) -> str:
        """The live day's stamp; an archive post is cached for good and has none (see :func:`feeds.base.day_stamp`)."""
        return "" if day in self._archive_set else self.live.day_stamp(day)

    def why_no_day(self, day: date) -> str | None:
        """Why ``day`` is not on the timeline (see :func:`feeds.base.why_no_day`), or None when it is a day of it.

        Valid once the days were listed.
        """
        if day in self._archive_set:
            return None
        holiday = self.live.calendar.why_not_listed(day)
        archive_first = self._archive_days[0] if self._archive_days else None
        archive_end = self._archive_days[-1] if self._archive_days else None
        live_first = self.live.first_day()
        if archive_first is not None and day < archive_first:
            return f"the timeline starts {archive_first.isoformat()}, the published archive's first day"
        if archive_end is not None and day <= archive_end:
            if holiday is not None:
                return self.live.why_no_day(day)
            return "the published archive has no post for it"
        if archive_end is not None and archive_end < day < live_first:
            return (
                f"it is in the gap between the published archive (which ends {archive_end.isoformat()}) and the "
                f"live days (from {live_first.isoformat()}, live_start); an earlier live_start in [live] builds "
                "the days between from Hacker News alone"
            )
        return self.live.why_no_day(day)

    async def _is_archive_day(self, day: date) -> bool:
        if not self._listed:
            await self.days()
        return day in self._archive_set

    async def load(self, day: date, *, refresh: bool = False, progress: Progress | None = None) -> DayLoad:
        if await self._is_archive_day(day):
            return await self.archive.load(day, refresh=refresh, progress=progress)
        return await self.live.load(day, refresh=refresh, progress=progress)

    def step_note(self, shown: date, target: date) -> str | None:
        """What lies between two neighbouring days of the timeline, or None when nothing does.

        Between the archive's last day and the first live day: the gap, why it is there and
        how to fill it. Inside the archive: the listing days it has no post for.
        """
        first, last = sorted((shown, target))
        calendar = self.live.calendar
        missing = calendar.listing_days_between(first, last)
        if missing == 0:
            return None
        archive_end = self._archive_days[-1] if self._archive_days else None
        live_first = calendar.next_listing_day(self.live.settings.live_start - timedelta(days=1))
        if archive_end is not None and first <= archive_end < live_first <= last:
            gap = calendar.listing_days_between(archive_end, live_first)
            note = (
                f"Gap: no Hot Papers for the {_count(gap)} between {archive_end.isoformat()} and "
                f"{live_first.isoformat()}. The published archive ends {archive_end.isoformat()}; the live days "
                f"start {live_first.isoformat()} (live_start; Hugging Face Daily Papers begin 2023-05-04). "
                "An earlier live_start builds the days between from Hacker News alone."
            )
            if missing > gap:
                note += " Offline, only the live days built here are listed."
            return note
        if first in self._archive_set and last in self._archive_set:
            between = f"between {first.isoformat()} and {last.isoformat()}"
            return f"The archive has no post for the {_count(missing)} {between}."
        why = " (offline: only the live days built here are listed)" if self.live.offline_why else ""
        return f"Not listed here: {_count(missing)} between {first.isoformat()} and {last.isoformat()}{why}."

    def jump_note(self, shown: date, target: date) -> str | None:
        """The gap's note when a jump ({, }, a date, a search hit) crosses it; None when it stays on one side.

        Only the gap is said: a jump inside the archive passes many days it has no post for,
        which is not news to someone jumping.
        """
        first, last = sorted((shown, target))
        archive_end = self._archive_days[-1] if self._archive_days else None
        live_first = self.live.calendar.next_listing_day(self.live.settings.live_start - timedelta(days=1))
        if archive_end is not None and first <= archive_end < live_first <= last:
            return self.step_note(archive_end, live_first)
        return None

    async def for_export(self, day: Day) -> Day:
        """A live day with its X posts as Twitter's embed HTML; an archive post as it is."""
        if await self._is_archive_day(day.date):
            return day
        return await self.live.for_export(day)

    async def aclose(self) -> None:
        try:
            await self.archive.aclose()
            await self.live.aclose()
        finally:
            if self._fetcher is not None:
                await self._fetcher.aclose()


def _count(days: int) -> str:
    return "1 listing day" if days == 1 else f"{days} listing days"
