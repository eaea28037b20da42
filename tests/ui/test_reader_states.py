"""What the reader shows about freshness, score sources and neighbouring days, on a feed held in memory."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from typing import Any

import pytest

from hotpapers_tui.feeds import DayLoad, FeedError
from hotpapers_tui.ui.app import HotPapersApp
from tests.ui.helpers import SIZES, detail_words, header, notifications, settle, status
from tests.ui.postgen import make_day, make_paper

DAYS = [date(2024, 2, 1), date(2024, 2, 2), date(2024, 2, 5)]


class MemoryFeed:
    """Days built in memory; ``loads`` records every request, ``failing`` days raise FeedError."""

    name = "live"

    def __init__(self, stale: bool = False, note: str = "") -> None:
        self.loads: list[tuple[date, bool]] = []
        self.failing: set[date] = set()
        self.stale = stale
        self.note = note

    async def days(self) -> list[date]:
        return list(DAYS)

    async def load(self, day: date, *, refresh: bool = False, progress: Any = None) -> DayLoad:
        self.loads.append((day, refresh))
        if day in self.failing:
            raise FeedError(f"network down for {day} [retry later]")
        paper = replace(make_paper(day, 1), breakdown=(("bluesky", 4000), ("hackernews", 1000)), score_override=5000)
        return DayLoad(
            make_day(day, [paper, make_paper(day, 2)]),
            stale=self.stale,
            fetched_at=datetime(2024, 2, 6, 8, 15),
            note=self.note,
        )

    async def aclose(self) -> None:
        return None


@pytest.mark.parametrize("size", SIZES)
async def test_stale_day_says_offline_and_breakdown_is_shown(size: tuple[int, int]) -> None:
    app = HotPapersApp(MemoryFeed(stale=True), notice="Offline: showing cached data only.")
    async with app.run_test(size=size) as pilot:
        screen = await settle(pilot)
        assert "offline" in header(screen)
        assert "offline: showing data from 2024-02-06 08:15" in status(screen)
        assert "day 3/3" in header(screen) + status(screen)
        assert "Offline: showing cached data only." in notifications(app)
        if size[0] <= 80:
            await pilot.press("enter")
        assert "by source Bluesky 4000 Hacker News 1000" in detail_words(screen)
        await pilot.press("escape", "down", "enter")
        assert "by source" not in detail_words(screen), "a paper without a breakdown has none"


async def test_note_is_shown_literally() -> None:
    app = HotPapersApp(MemoryFeed(note="partial: [x] skipped (rate limited)"))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await settle(pilot)
        assert status(screen).endswith("partial: [x] skipped (rate limited)")
        assert "\n" not in header(screen)


async def test_neighbours_are_prefetched_and_refresh_asks_the_feed_again() -> None:
    feed = MemoryFeed()
    app = HotPapersApp(feed, start_date=date(2024, 2, 2))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        assert all(screen.loader.is_cached(day) for day in DAYS)
        before = len(feed.loads)
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert len(feed.loads) == before, "a prefetched day shows without loading again"
        await pilot.press("R")
        await settle(pilot)
        assert feed.loads[-1] == (date(2024, 2, 5), True)


async def test_failed_prefetch_is_silent_and_failed_load_is_not() -> None:
    feed = MemoryFeed()
    feed.failing = {date(2024, 2, 1)}
    app = HotPapersApp(feed, start_date=date(2024, 2, 2))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        assert notifications(app) == []
        await pilot.press("left_square_bracket")
        screen = await settle(pilot)
        assert screen.current is not None and screen.current.day.date == date(2024, 2, 2)
        assert "network down for 2024-02-01 [retry later]" in notifications(app)


@pytest.mark.parametrize("size", SIZES)
async def test_a_feed_listed_offline_says_so_for_as_long_as_it_runs(size: tuple[int, int]) -> None:
    class KeptDays(MemoryFeed):
        async def days(self) -> list[date]:
            self.start_note = (
                "offline (cannot reach huggingface.co): showing live days built earlier, newest 2024-02-05"
            )
            return await super().days()

    app = HotPapersApp(KeptDays())
    async with app.run_test(size=size) as pilot:
        screen = await settle(pilot)
        for key in ("left_square_bracket", "left_square_bracket"):
            assert "offline" in header(screen) and "\n" not in header(screen)
            assert "showing live days built earlier" in status(screen)
            await pilot.press(key)
            screen = await settle(pilot)
        assert "offline" in header(screen)
