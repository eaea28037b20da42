"""Read and star marks, sort and filter in the reader."""

from __future__ import annotations

import pytest

from hotpapers_tui.feeds.folder import sample_feed
from hotpapers_tui.library.marks import Marks, ReadPolicy
from hotpapers_tui.ui.app import HotPapersApp
from hotpapers_tui.ui.screens.reader import ReaderScreen
from hotpapers_tui.ui.widgets.paper_list import PaperList
from tests.ui.test_reader_pilot import header, list_titles, settle

NO_TIMER = ReadPolicy(after_shown=None, on_open=True)
GRAND, REGULARIZATION = "2106.10934", "2106.11189"


def markers(screen: ReaderScreen) -> list[str]:
    table = screen.query_one(PaperList)
    return [table.get_row_at(i)[0].plain for i in range(table.row_count)]


def ranks(screen: ReaderScreen) -> list[int]:
    table = screen.query_one(PaperList)
    return [int(table.get_row_at(i)[1].plain) for i in range(table.row_count)]


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_read_and_star_marks_show_and_survive_a_restart(size: tuple[int, int]) -> None:
    app = HotPapersApp(sample_feed(), read_policy=NO_TIMER)
    async with app.run_test(size=size) as pilot:
        screen = await settle(pilot)
        assert markers(screen)[:2] == ["•", "•"] and "22 unread" in header(screen)
        await pilot.press("r", "down", "asterisk")
        await pilot.pause()
        assert markers(screen)[:2] == ["", "★"]
        assert "21 unread" in header(screen)
    again = HotPapersApp(sample_feed(), read_policy=NO_TIMER)
    async with again.run_test(size=size) as pilot:
        screen = await settle(pilot)
        assert markers(screen)[:3] == ["", "★", "•"]
    with Marks.open() as marks:
        assert marks.is_read(GRAND) and marks.is_starred(REGULARIZATION)
        assert [s.arxiv_id for s in marks.starred()] == [REGULARIZATION]


async def test_a_paper_shown_for_a_moment_counts_as_read() -> None:
    app = HotPapersApp(sample_feed(), read_policy=ReadPolicy(after_shown=0.05, on_open=False))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        await pilot.pause(0.2)
        assert markers(screen)[0] == ""
        assert markers(screen)[1] == "•"


async def test_opening_a_link_marks_read(monkeypatch: pytest.MonkeyPatch) -> None:
    app = HotPapersApp(sample_feed(), read_policy=NO_TIMER)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        monkeypatch.setattr(app, "open_url", lambda url, new_tab=True: None)
        await pilot.press("down", "o")
        await pilot.pause()
        assert markers(screen)[:2] == ["•", ""]


async def test_filter_combines_qualifiers_keeps_ranks_and_escape_clears() -> None:
    app = HotPapersApp(sample_feed(), read_policy=NO_TIMER)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        await pilot.press("slash")
        await pilot.pause()
        await pilot.press(*"cat:cs.CV video")
        await pilot.pause()
        titles = list_titles(screen)
        assert titles and all("video" in t.lower() for t in titles)
        assert ranks(screen)[0] == 6 and "filter: " in header(screen)
        await pilot.press("escape")
        await pilot.pause()
        assert len(list_titles(screen)) == 22 and ranks(screen)[:2] == [1, 2]
        assert app.focused is screen.query_one(PaperList)


async def test_unread_and_starred_qualifiers() -> None:
    app = HotPapersApp(sample_feed(), read_policy=NO_TIMER)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        await pilot.press("asterisk", "down", "r", "slash")
        await pilot.pause()
        await pilot.press(*"is:starred")
        await pilot.pause()
        assert ranks(screen) == [1]
        await pilot.press(*[*["backspace"] * len("is:starred"), *"is:unread"])
        await pilot.pause()
        assert 2 not in ranks(screen) and 1 in ranks(screen) and len(ranks(screen)) == 21


async def test_sort_cycles_and_the_header_says_so() -> None:
    app = HotPapersApp(sample_feed(), read_policy=NO_TIMER)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        await pilot.press("S")
        await pilot.pause()
        assert "sorted by retweets" in header(screen)
        await pilot.press("S")
        await pilot.pause()
        assert "sorted by favorites" in header(screen)
        assert ranks(screen)[0] == 3  # Lossy Compression has the most favorites (339)
        await pilot.press("S", "S", "S")
        await pilot.pause()
        assert "sorted by" not in header(screen) and ranks(screen)[:3] == [1, 2, 3]
