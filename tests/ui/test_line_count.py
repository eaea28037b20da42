"""A new line count for the list or the detail: scrollbar and offset right, and no layout of the screen.

``set_line_count`` keeps a day switch to one frame by setting the list's length without
the layout a ``virtual_size`` change asks for. These tests hold it to what a layout would
have given (the scrollbar's length, an offset inside the content) and check that the
screen was not laid out again; when the scrollbar appears or goes, a layout is right.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.screen import Screen

from hotpapers_tui.dayloader import ListedPapers
from hotpapers_tui.ui.widgets.line_view import set_line_count
from hotpapers_tui.ui.widgets.paper_list import PaperList
from tests.ui.postgen import make_paper

DAY = date(2024, 3, 4)


def listed(count: int) -> ListedPapers:
    papers = tuple(make_paper(DAY, n) for n in range(1, count + 1))
    return ListedPapers(papers, tuple(range(1, count + 1)), count)


class ListApp(App[None]):
    def compose(self) -> ComposeResult:
        yield PaperList(id="paper-list")


def count_layouts(screen: Screen[Any], monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the screen's layouts; the hook is Textual's own, so its absence must fail loudly, not pass."""
    assert hasattr(screen, "_refresh_layout"), "Textual no longer lays out through Screen._refresh_layout"
    calls: list[int] = []
    original = screen._refresh_layout

    def counted(*args: Any, **kwargs: Any) -> None:
        calls.append(1)
        original(*args, **kwargs)

    monkeypatch.setattr(screen, "_refresh_layout", counted)
    return calls


async def test_a_new_length_with_the_scrollbar_kept_needs_no_layout(monkeypatch: pytest.MonkeyPatch) -> None:
    app = ListApp()
    async with app.run_test(size=(80, 24)) as pilot:
        paper_list = app.query_one(PaperList)
        paper_list.show(listed(60), None, day_key="a")
        await pilot.pause()
        paper_list.move_to(59)  # the last row: scrolled to the end of 60
        await pilot.pause()
        height = paper_list.scrollable_content_region.height
        assert paper_list.scroll_y == 60 - height
        layouts = count_layouts(app.screen, monkeypatch)

        paper_list.listed = listed(40)
        set_line_count(paper_list, 40)
        # What a layout would have set, already true before the next frame.
        assert paper_list.vertical_scrollbar.window_virtual_size == 40
        assert paper_list.scroll_y == 40 - height, "the offset is clamped to the shorter content"
        await pilot.pause()
        await pilot.pause()
        assert layouts == [], "no layout of the screen for a length that keeps the scrollbar"
        assert paper_list.show_vertical_scrollbar
        assert paper_list.max_scroll_y == 40 - height
        assert paper_list.render_line(height - 1).text.split()[0] == "40", "the last row drawn is the 40th"


async def test_a_length_that_shows_or_hides_the_scrollbar_is_laid_out(monkeypatch: pytest.MonkeyPatch) -> None:
    app = ListApp()
    async with app.run_test(size=(80, 24)) as pilot:
        paper_list = app.query_one(PaperList)
        paper_list.show(listed(60), None, day_key="a")
        await pilot.pause()
        layouts = count_layouts(app.screen, monkeypatch)
        paper_list.show(listed(5), None, day_key="b")
        await pilot.pause()
        await pilot.pause()
        assert layouts, "the scrollbar goes: the screen is laid out"
        assert not paper_list.show_vertical_scrollbar
        assert paper_list.scroll_y == 0
        paper_list.show(listed(60), None, day_key="a")
        await pilot.pause()
        await pilot.pause()
        assert paper_list.show_vertical_scrollbar
        assert paper_list.vertical_scrollbar.window_virtual_size == 60
