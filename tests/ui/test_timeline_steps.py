"""Stepping along the timeline: the gap between the archive and the live days said where it stays visible, a day
that cannot be built said until something else happens, and R trying that day again."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from textual.geometry import Region

from hotpapers_tui.feeds.folder import FolderFeed
from hotpapers_tui.feeds.timeline import TimelineFeed
from hotpapers_tui.library.marks import ReadPolicy
from hotpapers_tui.live.feed import LiveFeed
from hotpapers_tui.live.settings import LiveSettings
from hotpapers_tui.ui.app import HotPapersApp
from hotpapers_tui.ui.widgets.day_header import DayHeader, StatusLine
from tests.fetch.conftest import post_name, post_text
from tests.live.conftest import standard_world
from tests.live.fakes import FakeFetcher
from tests.ui.helpers import SIZES, header, notifications, settle, shown_day, status

GAP_SENTENCE = "Gap: no Hot Papers for the 338 listing days between 2022-01-13 and 2023-05-04"
NO_MARKS = ReadPolicy(after_shown=None, on_open=False)


def timeline(tmp_path: Path) -> tuple[TimelineFeed, FakeFetcher]:
    """Two archive days (a folder) and the live days from 2023-05-04 to 2023-05-05, built by a fake world."""
    posts = tmp_path / "posts"
    posts.mkdir()
    for day in (date(2022, 1, 12), date(2022, 1, 13)):
        (posts / post_name(day)).write_text(post_text(day), encoding="utf-8")
    world = standard_world()
    world.hf_last_day = "2023-05-05"
    fetcher = FakeFetcher(world.handle)
    live = LiveFeed(fetcher, LiveSettings(), now=lambda: datetime(2023, 5, 5, 12, tzinfo=UTC))
    return TimelineFeed(FolderFeed(posts, name="archive"), live), fetcher


def on_screen(app: HotPapersApp) -> str:
    """What the status line shows, as painted: cut where the line ends."""
    line = app.screen.query_one(StatusLine)
    return line.render_lines(Region(0, 0, line.size.width, 1))[0].text


def one_line(app: HotPapersApp) -> None:
    """Header and status line each stay one line, whatever they say."""
    assert app.screen.query_one(DayHeader).size.height == 1
    assert app.screen.query_one(StatusLine).size.height == 1


@pytest.mark.parametrize("size", SIZES)
async def test_the_gap_stays_in_the_status_line_while_its_day_is_shown(tmp_path: Path, size: tuple[int, int]) -> None:
    feed, _ = timeline(tmp_path)
    app = HotPapersApp(feed, start_date=date(2022, 1, 13), read_policy=NO_MARKS)
    async with app.run_test(size=size, notifications=True) as pilot:
        screen = await settle(pilot)
        assert "Gap" not in status(screen)
        await pilot.press("right_square_bracket")
        screen = await settle(pilot)
        assert shown_day(screen) == date(2023, 5, 4)
        # The notification says it all for ten seconds; the status line keeps its first sentence, whole.
        assert GAP_SENTENCE in on_screen(app)
        one_line(app)
        assert any(m.startswith(GAP_SENTENCE) and "live_start" in m for m in notifications(app))
        tooltip = str(screen.query_one(StatusLine).tooltip)
        assert tooltip.startswith(GAP_SENTENCE) and "An earlier live_start" in tooltip, "hovering shows it whole"
        await pilot.press("right_square_bracket")  # 2023-05-05: nothing between, nothing said
        screen = await settle(pilot)
        assert shown_day(screen) == date(2023, 5, 5) and "Gap" not in status(screen)
        await pilot.press("left_square_bracket", "left_square_bracket")  # back across the gap
        screen = await settle(pilot)
        assert shown_day(screen) == date(2022, 1, 13)
        assert GAP_SENTENCE in on_screen(app)
        await pilot.press("left_square_bracket")
        screen = await settle(pilot)
        assert "Gap" not in status(screen)


@pytest.mark.parametrize("size", SIZES)
async def test_a_day_that_cannot_be_built_is_said_until_r_brings_it(tmp_path: Path, size: tuple[int, int]) -> None:
    feed, fetcher = timeline(tmp_path)
    app = HotPapersApp(feed, start_date=date(2022, 1, 13), read_policy=NO_MARKS)
    async with app.run_test(size=size, notifications=True) as pilot:
        screen = await settle(pilot)
        fetcher.offline = True  # the network goes
        await pilot.press("right_square_bracket")
        screen = await settle(pilot)
        # The day on screen stays; why the next one is not there stays said after the notification goes.
        assert shown_day(screen) == date(2022, 1, 13) and "2022-01-13" in header(screen)
        said = on_screen(app).strip()
        assert said.startswith("2023-05-04 not loaded (R tries again): offline"), said
        assert "Gap" not in said, "the gap belongs to a day that is not on screen"
        one_line(app)
        fetcher.offline = False  # back
        await pilot.press("R")  # tries 2023-05-04 again, not the day on screen
        screen = await settle(pilot)
        assert shown_day(screen) == date(2023, 5, 4)
        assert "not loaded" not in status(screen)


@pytest.mark.parametrize("size", SIZES)
async def test_jumps_that_land_across_the_gap_say_it_too(tmp_path: Path, size: tuple[int, int]) -> None:
    """`{`, `}`, `g` and `n` cross the gap as `[` and `]` do: said when they land on its far side, not otherwise."""
    from textual.widgets import Input

    feed, _ = timeline(tmp_path)
    app = HotPapersApp(feed, start_date=date(2022, 1, 12), read_policy=NO_MARKS)
    async with app.run_test(size=size, notifications=True) as pilot:
        await settle(pilot)

        async def crossed(*keys: str, day: date) -> bool:
            app.clear_notifications()
            await pilot.press(*keys)
            screen = await settle(pilot)
            assert shown_day(screen) == day
            said = GAP_SENTENCE in on_screen(app)
            assert said == any(m.startswith(GAP_SENTENCE) for m in notifications(app))
            if said:
                one_line(app)
            return said

        assert await crossed("right_curly_bracket", day=date(2023, 5, 5)), "} from the archive to the newest day"
        assert not await crossed("left_square_bracket", day=date(2023, 5, 4)), "a step on the same side"
        assert await crossed("left_curly_bracket", day=date(2022, 1, 12)), "{ back to the oldest day"
        assert not await crossed("right_square_bracket", day=date(2022, 1, 13))
        await pilot.press("g")
        app.screen.query_one(Input).value = "2023-05-05"
        assert await crossed("enter", day=date(2023, 5, 5)), "g to a date past the gap"
        await pilot.press("g")
        app.screen.query_one(Input).value = "2023-05-04"
        assert not await crossed("enter", day=date(2023, 5, 4))
        await pilot.press("g")
        app.screen.query_one(Input).value = "2022-01-13"
        assert await crossed("enter", day=date(2022, 1, 13))
        # n with nothing unread left goes on to the next day: across the gap, said.
        await pilot.press("A")
        assert await crossed("n", day=date(2023, 5, 4)), "n on to the first live day"
