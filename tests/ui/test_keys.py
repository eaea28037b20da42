"""The keys terminal readers use: j/k, home/end on the pane with focus, space and b, enter and escape, tab."""

from __future__ import annotations

from datetime import date

import pytest

from hotpapers_tui.feeds import FolderFeed
from hotpapers_tui.keymap import BINDINGS
from hotpapers_tui.library.marks import ReadPolicy
from hotpapers_tui.ui.app import HotPapersApp
from hotpapers_tui.ui.widgets.paper_detail import PaperDetail
from hotpapers_tui.ui.widgets.paper_list import PaperList
from tests.ui.helpers import SIZES, settle, shown_day
from tests.ui.postgen import make_day, make_paper, write_posts

NO_TIMER = ReadPolicy(after_shown=None, on_open=False)
DAYS = [date(2024, 1, 8), date(2024, 1, 9), date(2024, 1, 10)]


@pytest.fixture
def long_feed(tmp_path: object) -> FolderFeed:
    """Days of 30 papers with abstracts long enough to scroll at every size."""
    from pathlib import Path

    assert isinstance(tmp_path, Path)
    long = "A sentence about the method, its data and its results, repeated so the detail scrolls. " * 40
    days = [make_day(d, [make_paper(d, n, abstract=long) for n in range(1, 31)]) for d in DAYS]
    write_posts(tmp_path / "long", days)
    return FolderFeed(tmp_path / "long", name="dir:long")


def test_every_action_has_an_id_and_the_moved_keys_are_where_the_readme_says() -> None:
    by_id = {b.id: b for b in BINDINGS}
    assert by_id["cursor_down"].keys == "down,j" and by_id["cursor_up"].keys == "up,k"
    assert by_id["oldest_day"].keys == "left_curly_bracket" and by_id["newest_day"].keys == "right_curly_bracket"
    assert by_id["first_paper"].keys == "home" and by_id["detail_top"].keys == "home"
    assert all(b.id and b.action for b in BINDINGS)


@pytest.mark.parametrize("size", SIZES)
async def test_j_k_home_end_move_in_the_list(long_feed: FolderFeed, size: tuple[int, int]) -> None:
    app = HotPapersApp(long_feed, start_date=DAYS[1], read_policy=NO_TIMER)
    async with app.run_test(size=size) as pilot:
        screen = await settle(pilot)
        paper_list = screen.query_one(PaperList)
        await pilot.press("j", "j", "down", "k")
        assert paper_list.cursor == 2
        await pilot.press("end")
        assert paper_list.cursor == 29 and shown_day(screen) == DAYS[1], "end is the last paper, not the newest day"
        top, height = paper_list.scroll_offset.y, paper_list.scrollable_content_region.height
        assert top <= 29 < top + height, "the cursor stays in view"
        await pilot.press("home")
        assert paper_list.cursor == 0 and shown_day(screen) == DAYS[1]
        await pilot.press("pagedown")
        assert paper_list.cursor == min(29, paper_list.scrollable_content_region.height - 1)
        await pilot.press("G")
        assert paper_list.cursor == 29
        await pilot.press("right_curly_bracket")
        screen = await settle(pilot)
        assert shown_day(screen) == DAYS[2]
        await pilot.press("left_curly_bracket")
        screen = await settle(pilot)
        assert shown_day(screen) == DAYS[0]


@pytest.mark.parametrize("size", SIZES)
async def test_space_and_b_page_the_detail_while_the_list_keeps_focus(
    long_feed: FolderFeed, size: tuple[int, int]
) -> None:
    app = HotPapersApp(long_feed, start_date=DAYS[1], read_policy=NO_TIMER)
    async with app.run_test(size=size) as pilot:
        screen = await settle(pilot)
        paper_list, detail = screen.query_one(PaperList), screen.query_one(PaperDetail)
        if size[0] <= 80:
            # One pane at a time: the first space opens the detail, the next ones page it.
            await pilot.press("space")
            assert screen.has_class("detail-open")
        await pilot.press("space")
        await pilot.pause()
        assert detail.scroll_offset.y > 0
        if size[0] > 80:
            assert app.focused is paper_list
        top = detail.scroll_offset.y
        await pilot.press("space")
        await pilot.pause()
        bottom = detail.scroll_offset.y
        assert bottom > top
        await pilot.press("b")
        await pilot.pause()
        assert detail.scroll_offset.y < bottom
        await pilot.press("shift+space", "b", "b")
        await pilot.pause()
        assert detail.scroll_offset.y == 0
        if size[0] > 80:
            assert app.focused is paper_list and paper_list.cursor == 0


@pytest.mark.parametrize("size", SIZES)
async def test_enter_reads_the_detail_escape_comes_back_home_end_act_on_the_focused_pane(
    long_feed: FolderFeed, size: tuple[int, int]
) -> None:
    app = HotPapersApp(long_feed, start_date=DAYS[1], read_policy=NO_TIMER)
    async with app.run_test(size=size) as pilot:
        screen = await settle(pilot)
        paper_list, detail = screen.query_one(PaperList), screen.query_one(PaperDetail)
        await pilot.press("j", "enter")
        assert app.focused is detail and detail.display
        await pilot.press("end")
        await pilot.pause()
        assert detail.scroll_offset.y == detail.max_scroll_y > 0, "end goes to the bottom of the detail"
        assert paper_list.cursor == 1 and shown_day(screen) == DAYS[1]
        await pilot.press("home", "j", "j")
        await pilot.pause()
        assert detail.scroll_offset.y == 2 and paper_list.cursor == 1, "j scrolls the focused detail"
        await pilot.press("escape")
        assert app.focused is paper_list
        assert not screen.has_class("detail-open")
        await pilot.press("j")
        assert paper_list.cursor == 2


@pytest.mark.parametrize("size", [(120, 40), (100, 30)])
async def test_tab_moves_focus_between_the_panes(long_feed: FolderFeed, size: tuple[int, int]) -> None:
    app = HotPapersApp(long_feed, start_date=DAYS[1], read_policy=NO_TIMER)
    async with app.run_test(size=size) as pilot:
        screen = await settle(pilot)
        await pilot.press("tab")
        assert app.focused is screen.query_one(PaperDetail)
        await pilot.press("shift+tab")
        assert app.focused is screen.query_one(PaperList)


async def test_cursor_keys_can_be_rebound(long_feed: FolderFeed) -> None:
    keymap = {"cursor_down": "ctrl+n", "cursor_up": "ctrl+p,up", "newest_day": "end", "last_paper": "G"}
    app = HotPapersApp(long_feed, start_date=DAYS[0], read_policy=NO_TIMER, keymap=keymap)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = await settle(pilot)
        assert not any("Keymap" in n.message for n in app._notifications)
        await pilot.press("ctrl+n", "ctrl+n", "up")
        assert screen.paper_list.cursor == 1
        await pilot.press("j")
        assert screen.paper_list.cursor == 1, "j is no longer bound"
        await pilot.press("end")
        screen = await settle(pilot)
        assert shown_day(screen) == DAYS[-1]


@pytest.mark.parametrize("size", SIZES)
async def test_every_key_scrolls_the_detail_at_once_without_an_animation(
    long_feed: FolderFeed, size: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Like less or newsboat: the detail jumps to where a key sends it, no smooth scroll in between.

    Pilot waits for animations to end after each key, so the position alone cannot tell a
    jump from a glide: the animator is watched for any animation of the detail's scroll.
    """
    app = HotPapersApp(long_feed, start_date=DAYS[1], read_policy=NO_TIMER)
    async with app.run_test(size=size) as pilot:
        screen = await settle(pilot)
        detail = screen.query_one(PaperDetail)
        animated: list[str] = []
        animate = app.animator.animate

        def watched(obj: object, attribute: str, *args: object, **kwargs: object) -> None:
            if obj is detail:
                animated.append(attribute)
            animate(obj, attribute, *args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(app.animator, "animate", watched)
        if size[0] <= 80:
            await pilot.press("space")  # one pane at a time: the first space opens the detail
        # From the list (or the detail just opened): space and b page it.
        await pilot.press("space", "space", "b")
        assert detail.scroll_offset.y > 0
        await pilot.press("enter")
        assert app.focused is detail
        await pilot.press("end")
        assert detail.scroll_offset.y == detail.max_scroll_y > 0
        await pilot.press("home")
        assert detail.scroll_offset.y == 0
        await pilot.press("j", "j", "down", "k")
        assert detail.scroll_offset.y == 2
        await pilot.press("pagedown")
        paged = detail.scroll_offset.y
        assert paged > 2
        await pilot.press("pageup", "G")
        assert detail.scroll_offset.y == detail.max_scroll_y
        await pilot.press("up", "space", "b")
        assert animated == [], f"the detail's scroll was animated: {animated}"
