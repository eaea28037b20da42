"""Never a blank or silent screen: a first frame before the feed answers, slow and failed feeds said, escape, retry."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import date
from typing import Any

import pytest

from hotpapers_tui.feeds import DayLoad, FeedError
from hotpapers_tui.fetch.api import FetchError
from hotpapers_tui.ui.app import HotPapersApp
from hotpapers_tui.ui.screens import reader as reader_module
from tests.ui.helpers import SIZES, header, list_titles, notifications, reader, rows, settle, shown_day, status
from tests.ui.postgen import make_day

DAYS = [date(2024, 4, 1), date(2024, 4, 2)]


class HeldFeed:
    """A remote-like feed: listing waits for ``answer``; ``fail`` makes the next listings fail as offline."""

    name = "archive"

    def __init__(self) -> None:
        self.answer = asyncio.Event()
        self.listings = 0
        self.fail = 0
        self.load_error: BaseException | None = None
        self.seen_frames: int | None = None
        self.frames = 0

    async def days(self) -> Sequence[date]:
        self.listings += 1
        if self.seen_frames is None:
            self.seen_frames = self.frames
        await self.answer.wait()
        if self.fail:
            self.fail -= 1
            cause = FetchError("cannot reach api.github.com (no connection within 5 s)", offline=True)
            raise FeedError("archive: cannot list the posts") from cause
        return DAYS

    async def load(self, day: date, *, refresh: bool = False, progress: Any = None) -> DayLoad:
        if self.load_error is not None:
            raise self.load_error
        return DayLoad(make_day(day, 3))

    async def aclose(self) -> None:
        return None


def counting_frames(app: HotPapersApp, feed: HeldFeed) -> None:
    """Count the frames the app sends to its (headless) terminal."""
    display = app._display

    def counted(screen: Any, renderable: Any) -> None:
        feed.frames += 1
        display(screen, renderable)

    app._display = counted  # type: ignore[method-assign]


@pytest.mark.parametrize("size", SIZES)
async def test_the_first_frame_is_painted_before_the_feed_is_asked(size: tuple[int, int]) -> None:
    feed = HeldFeed()
    app = HotPapersApp(feed)  # type: ignore[arg-type]
    counting_frames(app, feed)
    async with app.run_test(size=size) as pilot:
        for _ in range(20):
            await pilot.pause()
            if feed.listings:
                break
        assert feed.seen_frames is not None and feed.seen_frames >= 1, "a frame was on screen before the listing"
        screen = reader(pilot)
        assert header(screen).startswith("archive  listing the days...")
        assert rows(screen)[0].strip() == "Loading..."
        feed.answer.set()
        screen = await settle(pilot)
        assert shown_day(screen) == DAYS[-1]


async def test_a_feed_that_does_not_answer_is_said_escape_stops_and_r_retries(monkeypatch: Any) -> None:
    monkeypatch.setattr(reader_module, "SLOW", 0.5)
    feed = HeldFeed()
    app = HotPapersApp(feed)  # type: ignore[arg-type]
    async with app.run_test(size=(80, 24)) as pilot:
        await asyncio.sleep(1.3)
        await pilot.pause()
        screen = reader(pilot)
        assert "listing the days... 1 s" in header(screen)
        assert "no answer yet; still trying (escape cancels)" in status(screen)
        await pilot.press("escape")
        await pilot.pause()
        assert "Stopped listing the days." in notifications(app)
        assert "listing" not in header(screen)
        assert "R tries again" in rows(screen)[0]
        feed.answer.set()
        await pilot.press("R")
        screen = await settle(pilot)
        assert shown_day(screen) == DAYS[-1] and feed.listings == 2


@pytest.mark.parametrize("size", SIZES)
async def test_a_feed_that_cannot_be_listed_shows_the_sample_and_r_retries(size: tuple[int, int]) -> None:
    feed = HeldFeed()
    feed.answer.set()
    feed.fail = 1
    app = HotPapersApp(feed)  # type: ignore[arg-type]
    async with app.run_test(size=size) as pilot:
        screen = await settle(pilot)
        assert screen.loader.feed.name == "sample" and list_titles(screen)[0] == "GRAND: Graph Neural Diffusion"
        assert "offline" in header(screen) and "\n" not in header(screen)
        assert "cannot reach api.github.com" in status(screen) and "offline, R retries" in header(screen)
        await pilot.press("R")
        screen = await settle(pilot)
        assert screen.loader.feed is feed and shown_day(screen) == DAYS[-1]
        assert "offline" not in header(screen) and "cannot reach" not in status(screen)


async def test_an_unexpected_error_in_a_load_ends_in_a_message() -> None:
    feed = HeldFeed()
    feed.answer.set()
    feed.load_error = RuntimeError("boom [red]")
    app = HotPapersApp(feed)  # type: ignore[arg-type]
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(50):
            await pilot.pause()
            if any("boom" in m for m in notifications(app)):
                break
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = reader(pilot)
        assert any("boom [red]" in m for m in notifications(app)), notifications(app)
        assert "loading" not in header(screen)
        # No day of the feed loads: the sample to look at, and why said until R brings the feed.
        assert screen.loader.feed.name == "sample" and "boom [red]" in status(screen)
        assert "feed failed, R retries" in header(screen)


async def test_an_unexpected_error_in_the_listing_shows_the_sample_and_says_why() -> None:
    class Broken(HeldFeed):
        async def days(self) -> Sequence[date]:
            raise ValueError("listing exploded")

    app = HotPapersApp(Broken())  # type: ignore[arg-type]
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        assert screen.loader.feed.name == "sample"
        assert "listing exploded" in status(screen)
        assert any("listing exploded" in m for m in notifications(app))


async def test_escape_stops_a_day_that_is_loading() -> None:
    from tests.ui.test_reader_live import MON, TUE, SlowBuildFeed

    feed = SlowBuildFeed()
    app = HotPapersApp(feed, start_date=MON)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        await pilot.press("right_square_bracket")
        await asyncio.wait_for(feed.reported.wait(), 5)
        await pilot.press("escape")
        screen = await settle(pilot)
        assert shown_day(screen) == MON and feed.cancelled == [TUE]
        assert "Stopped loading 2026-11-24." in notifications(app)
        assert "loading" not in header(screen) and "building" not in status(screen)
