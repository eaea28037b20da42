"""The place is kept: sorting, filtering and clearing keep the highlighted paper; a day comes back where it was left."""

from __future__ import annotations

from datetime import date

import pytest

from hotpapers_tui.feeds import FolderFeed
from hotpapers_tui.feeds.folder import sample_feed
from hotpapers_tui.library.marks import ReadPolicy
from hotpapers_tui.ui.app import HotPapersApp
from hotpapers_tui.ui.widgets.filter_input import FilterInput
from tests.ui.helpers import SIZES, header, highlighted_id, list_titles, ranks, rows, settle, shown_day, status

NO_TIMER = ReadPolicy(after_shown=None, on_open=False)


@pytest.mark.parametrize("size", SIZES)
async def test_sort_and_filter_keep_the_highlighted_paper(size: tuple[int, int]) -> None:
    app = HotPapersApp(sample_feed(), read_policy=NO_TIMER)
    async with app.run_test(size=size) as pilot:
        screen = await settle(pilot)
        await pilot.press("j", "j")
        wanted = highlighted_id(screen)
        await pilot.press("S", "S")  # favorites: the paper moves to another row, the cursor with it
        assert "sort: favorites" in header(screen) + status(screen)
        assert highlighted_id(screen) == wanted and screen.paper_list.cursor != 2
        await pilot.press("slash", *"Compression")
        await pilot.pause()
        assert highlighted_id(screen) == wanted and len(list_titles(screen)) < 22
        await pilot.press("escape")  # clears the filter from its line
        await pilot.pause()
        assert len(list_titles(screen)) == 22 and highlighted_id(screen) == wanted
        await pilot.press("S", "S", "S")
        assert "sort" not in header(screen) and ranks(screen)[:3] == [1, 2, 3]
        assert highlighted_id(screen) == wanted and screen.paper_list.cursor == 2


@pytest.mark.parametrize("size", SIZES)
async def test_escape_on_the_list_clears_an_active_filter(size: tuple[int, int]) -> None:
    app = HotPapersApp(sample_feed(), read_policy=NO_TIMER)
    async with app.run_test(size=size) as pilot:
        screen = await settle(pilot)
        await pilot.press("slash", *"cat:cs.CV", "enter")
        await pilot.pause()
        assert app.focused is screen.paper_list
        assert 0 < len(list_titles(screen)) < 22 and "filter: " in header(screen) + status(screen)
        await pilot.press("j")
        wanted = highlighted_id(screen)
        await pilot.press("escape")
        await pilot.pause()
        assert len(list_titles(screen)) == 22 and "filter" not in header(screen) + status(screen)
        assert not screen.query_one(FilterInput).display
        assert highlighted_id(screen) == wanted


@pytest.mark.parametrize("size", SIZES)
async def test_escape_on_the_list_closes_an_empty_filter_line(size: tuple[int, int]) -> None:
    # Tried in a terminal: / then down (or enter) with nothing typed left the empty line
    # open over the list, and escape on the list did nothing.
    app = HotPapersApp(sample_feed(), read_policy=NO_TIMER)
    async with app.run_test(size=size) as pilot:
        screen = await settle(pilot)
        await pilot.press("slash", "down")
        await pilot.pause()
        assert app.focused is screen.paper_list and screen.query_one(FilterInput).display
        await pilot.press("escape")
        await pilot.pause()
        assert not screen.query_one(FilterInput).display
        assert app.focused is screen.paper_list


async def test_a_filter_that_matches_nothing_says_so() -> None:
    app = HotPapersApp(sample_feed(), read_policy=NO_TIMER)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        await pilot.press("slash", *"zzzz-nothing", "down")
        await pilot.pause()
        assert list_titles(screen) == [] and "No paper matches the filter" in rows(screen)[0]
        assert app.focused is screen.paper_list, "down leaves the filter line for the list"


@pytest.mark.parametrize("size", SIZES)
async def test_a_day_comes_back_on_the_paper_it_was_left_on(feed: FolderFeed, size: tuple[int, int]) -> None:
    app = HotPapersApp(feed, start_date=date(2024, 3, 7), read_policy=NO_TIMER)
    async with app.run_test(size=size) as pilot:
        screen = await settle(pilot)
        await pilot.press("j", "j", "j")
        wanted = highlighted_id(screen)
        await pilot.press("left_square_bracket")
        screen = await settle(pilot)
        assert shown_day(screen) == date(2024, 3, 5) and screen.paper_list.cursor == 0
        await pilot.press("j")
        other = highlighted_id(screen)
        await pilot.press("right_square_bracket")
        screen = await settle(pilot)
        assert shown_day(screen) == date(2024, 3, 7) and highlighted_id(screen) == wanted
        await pilot.press("left_square_bracket")
        screen = await settle(pilot)
        assert highlighted_id(screen) == other
