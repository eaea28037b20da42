"""Offline, said as it is: asked for (--offline, where R cannot bring the network) or found (the network failed,
R tries again), and a remote feed of which no day loads falling back to the sample like one that cannot be listed."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from hotpapers_tui.cli.reader_cmd import build_app, reader_feed
from hotpapers_tui.config import load_config
from hotpapers_tui.feeds import DayLoad
from hotpapers_tui.ui.app import HotPapersApp
from tests.ui.helpers import SIZES, header, list_titles, notifications, reader, settle, shown_day, status
from tests.ui.test_never_blank import DAYS, HeldFeed
from tests.ui.test_reader_startup import no_network_config, reader_args

SAMPLE_FIRST = "GRAND: Graph Neural Diffusion"


def one_line(text: str, width: int) -> None:
    """The header fits its one line: the padding cell on each side and the text between."""
    assert "\n" not in text and len(text) <= width - 2, text


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("spec", ["archive", "timeline", "live"])
async def test_asked_offline_with_nothing_cached_says_so_without_promising_a_retry(
    spec: str, size: tuple[int, int]
) -> None:
    no_network_config()
    config = load_config()
    args = reader_args("--offline", "--feed", spec)
    feed, _ = reader_feed(args, config)
    app = build_app(args, feed, config=config)
    async with app.run_test(size=size, notifications=True) as pilot:
        screen = await settle(pilot)
        assert list_titles(screen)[0] == SAMPLE_FIRST
        assert "offline (--offline)" in header(screen), header(screen)
        assert "R retries" not in header(screen) and "R tries" not in status(screen)
        one_line(header(screen), size[0])
        assert status(screen).startswith("offline: --offline, and the ")
        await pilot.press("R")
        screen = await settle(pilot)
        assert any("in the cache (--offline) again" in m for m in notifications(app)), notifications(app)
        assert "offline (--offline)" in header(screen) and "R retries" not in header(screen)


@pytest.mark.parametrize("size", SIZES)
async def test_asked_offline_on_a_day_shown_says_why_in_the_header(size: tuple[int, int]) -> None:
    feed = HeldFeed()
    feed.answer.set()
    app = HotPapersApp(feed, offline=True)  # type: ignore[arg-type]
    async with app.run_test(size=size) as pilot:
        screen = await settle(pilot)
        assert "offline (--offline)" in header(screen) and "R retries" not in header(screen)
        one_line(header(screen), size[0])
        assert "offline (--offline): cached data only" in status(screen)


@pytest.mark.parametrize("size", SIZES)
async def test_a_network_failure_promises_the_retry_r_makes(size: tuple[int, int]) -> None:
    feed = HeldFeed()
    feed.answer.set()
    feed.fail = 1
    app = HotPapersApp(feed)  # type: ignore[arg-type]
    async with app.run_test(size=size) as pilot:
        screen = await settle(pilot)
        assert "offline, R retries" in header(screen) and "--offline" not in header(screen)
        one_line(header(screen), size[0])


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("spec", ["live", "timeline", "archive"])
async def test_no_network_and_nothing_kept_offers_the_sample_and_r(spec: str, size: tuple[int, int]) -> None:
    """Without --offline: ``live`` lists its days without the network but cannot build one; the others cannot list."""
    no_network_config()
    config = load_config()
    args = reader_args("--feed", spec)
    feed, _ = reader_feed(args, config)
    app = build_app(args, feed, config=config)
    async with app.run_test(size=size, notifications=True) as pilot:
        screen = await settle(pilot)
        assert list_titles(screen)[0] == SAMPLE_FIRST, "the sample to look at, not an empty list"
        assert screen.loader.feed.name == "sample"
        assert "offline, R retries" in header(screen), header(screen)
        one_line(header(screen), size[0])
        assert status(screen).startswith("offline: "), status(screen)
        assert f"'{spec}' feed cannot be reached" in screen.fallback
        said = [m for m in notifications(app) if "cannot be reached" in m or "not loaded" in m]
        assert len(said) == 1 and said[0].endswith("showing the sample day instead."), notifications(app)
        assert not any("Could not load" in m for m in notifications(app))
        await pilot.press("R")  # tries the feed again: still no network, still the sample, still said
        screen = await settle(pilot)
        assert reader(pilot).loader.feed.name == "sample" and "offline, R retries" in header(screen)


async def test_a_feed_of_which_no_day_loads_shows_the_sample_and_r_brings_the_feed() -> None:
    feed = HeldFeed()
    feed.answer.set()
    feed.load_error = ValueError("every post is broken")
    app = HotPapersApp(feed)  # type: ignore[arg-type]
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await settle(pilot)
        assert screen.loader.feed.name == "sample" and list_titles(screen)[0] == SAMPLE_FIRST
        assert "feed failed, R retries" in header(screen)
        assert "no day of 'archive' could be loaded (every post is broken)" in screen.fallback
        feed.load_error = None
        await pilot.press("R")
        screen = await settle(pilot)
        assert screen.loader.feed is feed and "failed" not in header(screen) and not screen.fallback


async def test_a_newest_day_that_does_not_load_is_said_once_with_the_day_shown() -> None:
    class NewestBroken(HeldFeed):
        async def load(self, day: date, *, refresh: bool = False, progress: Any = None) -> DayLoad:
            if day == DAYS[-1]:
                raise ValueError("broken post")
            return await super().load(day, refresh=refresh, progress=progress)

    feed = NewestBroken()
    feed.answer.set()
    app = HotPapersApp(feed)  # type: ignore[arg-type]
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await settle(pilot)
        assert screen.loader.feed is feed and shown_day(screen) == DAYS[0]
        said = [m for m in notifications(app) if "broken post" in m]
        assert said == [f"{DAYS[-1].isoformat()} not loaded (broken post); showing {DAYS[0].isoformat()}."], said
