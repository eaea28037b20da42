"""Days built on demand (the live feed): progress while building, cancelled when the user moves on."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import replace
from datetime import date

import pytest

from hotpapers_tui.feeds import DayLoad
from hotpapers_tui.feeds.base import Progress
from hotpapers_tui.feeds.folder import sample_path
from hotpapers_tui.posts import parse_post
from hotpapers_tui.ui.app import HotPapersApp
from tests.ui.helpers import Recorder, header, notifications, settle, shown_day, status

MON, TUE, WED = date(2026, 11, 23), date(2026, 11, 24), date(2026, 11, 25)
SAMPLE = parse_post(sample_path().read_text(encoding="utf-8"))


class SlowBuildFeed:
    """Builds Tuesday slowly, reporting progress, until released; other days at once."""

    name = "live"
    prefetch = False

    def __init__(self) -> None:
        self.release = asyncio.Event()
        self.reported = asyncio.Event()
        self.cancelled: list[date] = []
        self.finished: list[date] = []

    async def days(self) -> Sequence[date]:
        return [MON, TUE, WED]

    async def load(self, day: date, *, refresh: bool = False, progress: Progress | None = None) -> DayLoad:
        built = replace(SAMPLE, date=day, title=f"Hot Papers {day.isoformat()}")
        if day == TUE:
            try:
                if progress is not None:
                    progress("hackernews: 12 posts")
                    progress("bluesky: skipped (no credentials)")
                self.reported.set()
                await self.release.wait()
            except asyncio.CancelledError:
                self.cancelled.append(day)
                raise
        self.finished.append(day)
        return DayLoad(built, note="sources: hackernews (12 posts); skipped: bluesky (no credentials)")

    async def aclose(self) -> None:
        return None


async def test_progress_shows_while_building_and_the_note_after() -> None:
    feed = SlowBuildFeed()
    app = HotPapersApp(feed, start_date=MON)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        assert shown_day(screen) == MON
        await pilot.press("right_square_bracket")
        await asyncio.wait_for(feed.reported.wait(), 5)
        await pilot.pause()
        assert "loading 2026-11-24" in header(screen) and "\n" not in header(screen)
        assert "building 2026-11-24: bluesky: skipped (no credentials)" in status(screen)
        assert shown_day(screen) == MON  # the old day stays until the new one is built
        feed.release.set()
        screen = await settle(pilot)
        assert shown_day(screen) == TUE
        assert "skipped: bluesky (no credentials)" in status(screen)
        assert "loading" not in header(screen)


async def test_moving_on_cancels_the_build() -> None:
    feed = SlowBuildFeed()
    app = HotPapersApp(feed, start_date=MON)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        feed.finished.clear()
        await pilot.press("right_square_bracket")
        await asyncio.wait_for(feed.reported.wait(), 5)
        await pilot.press("right_curly_bracket")  # Wednesday, while Tuesday is still building
        screen = await settle(pilot)
        assert shown_day(screen) == WED
        assert feed.cancelled == [TUE] and TUE not in feed.finished


async def test_links_to_unexpected_hosts_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    bad = replace(SAMPLE.papers[0], abs_url="https://arxiv.org.evil.example/abs/1", pdf_url="http://evil@arxiv.org/x")
    feed = SlowBuildFeed()
    original = feed.load

    async def load(day: date, *, refresh: bool = False, progress: Progress | None = None) -> DayLoad:
        loaded = await original(day, refresh=refresh, progress=progress)
        return replace(loaded, day=replace(loaded.day, papers=(bad, *loaded.day.papers[1:])))

    feed.load = load  # type: ignore[method-assign]
    app = HotPapersApp(feed, start_date=MON)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        recorder = Recorder(app, monkeypatch)
        for key in ("o", "p", "y"):
            await pilot.press(key)
        await pilot.pause()
        assert recorder.opened == [] and recorder.copied == []
        refused = [m for m in notifications(app) if m.startswith(("Not opening", "Not copying"))]
        assert len(refused) == 3


def test_the_live_feed_is_never_prefetched() -> None:
    from hotpapers_tui.feeds.base import wants_prefetch
    from hotpapers_tui.feeds.folder import sample_feed
    from hotpapers_tui.live.feed import LiveFeed

    assert not wants_prefetch(LiveFeed) and wants_prefetch(sample_feed())
