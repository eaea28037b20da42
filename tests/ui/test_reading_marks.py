"""Read and star marks: set only by the user's act, shown together, and followed when another program changes them."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path

import pytest

from hotpapers_tui.feeds import FolderFeed
from hotpapers_tui.feeds.folder import sample_feed
from hotpapers_tui.library.marks import Marks, ReadPolicy
from hotpapers_tui.ui.app import HotPapersApp
from tests.ui.helpers import SIZES, Recorder, header, markers, notifications, settle

NO_TIMER = ReadPolicy(after_shown=None, on_open=True)
DWELL = ReadPolicy(after_shown=0.05, on_open=False)
GRAND, REGULARIZATION = "2106.10934", "2106.11189"


@pytest.mark.parametrize("size", SIZES)
async def test_read_and_star_marks_show_together_and_survive_a_restart(size: tuple[int, int]) -> None:
    app = HotPapersApp(sample_feed(), read_policy=NO_TIMER)
    async with app.run_test(size=size) as pilot:
        screen = await settle(pilot)
        assert markers(screen)[:2] == ["• ", "• "] and "22 unread" in header(screen)
        await pilot.press("r", "down", "asterisk")
        await pilot.pause()
        # Read, then starred and still unread: both markers show at once.
        assert markers(screen)[:2] == ["  ", "•★"]
        assert "21 unread" in header(screen)
        await pilot.press("r")
        await pilot.pause()
        assert markers(screen)[1] == " ★", "starred and read"
    again = HotPapersApp(sample_feed(), read_policy=NO_TIMER)
    async with again.run_test(size=size) as pilot:
        screen = await settle(pilot)
        assert markers(screen)[:3] == ["  ", " ★", "• "]
    with Marks.open() as marks:
        assert marks.is_read(GRAND) and marks.is_starred(REGULARIZATION) and marks.is_read(REGULARIZATION)
        assert [s.arxiv_id for s in marks.starred()] == [REGULARIZATION]


@pytest.mark.parametrize("size", SIZES)
async def test_nothing_is_marked_read_without_the_user(size: tuple[int, int], posts_dir: Path) -> None:
    app = HotPapersApp(FolderFeed(posts_dir, name="dir:posts"), start_date=date(2024, 3, 4), read_policy=DWELL)
    async with app.run_test(size=size) as pilot:
        screen = await settle(pilot)
        await asyncio.sleep(0.2)  # four times the dwell, with the cursor placed by loading
        await pilot.pause()
        assert "6 unread" in header(screen)
        # Days passed through, a filter's first match and a sort's first row are never read.
        await pilot.press("right_square_bracket", "right_square_bracket")
        screen = await settle(pilot)
        await pilot.press("slash", *"Synthetic", "enter", "S")
        await asyncio.sleep(0.2)
        await pilot.pause()
        with Marks.open() as marks:
            ids = [p.arxiv_id for d in screen.loader.loaded_days() for p in d.day.papers]
            assert marks.read_ids(ids) == set(), "no paper was read by the user"
        assert "unread" in header(screen) and all(m[0] == "•" for m in markers(screen))


async def test_a_paper_the_user_moved_to_and_stayed_on_becomes_read() -> None:
    # Long enough that two presses in a row, even on a busy machine, pass within it.
    app = HotPapersApp(sample_feed(), read_policy=ReadPolicy(after_shown=0.4, on_open=False))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        await pilot.press("j")
        await asyncio.sleep(0.8)
        await pilot.pause()
        assert markers(screen)[:3] == ["• ", "  ", "• "]
        assert "21 unread" in header(screen)
        # Moving on before the dwell ends leaves the paper unread.
        await pilot.press("j", "j")
        await asyncio.sleep(0.8)
        await pilot.pause()
        assert markers(screen)[2:4] == ["• ", "  "]


async def test_opening_a_link_marks_read(monkeypatch: pytest.MonkeyPatch) -> None:
    app = HotPapersApp(sample_feed(), read_policy=NO_TIMER)
    Recorder(app, monkeypatch)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        await pilot.press("down", "o")
        await pilot.pause()
        assert markers(screen)[:2] == ["• ", "  "]


async def test_marks_changed_by_another_program_show_within_a_second() -> None:
    app = HotPapersApp(sample_feed(), read_policy=NO_TIMER)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        assert markers(screen)[:2] == ["• ", "• "]
        with Marks.open() as other:  # the CLI's `star` and `read`, a second reader
            other.set_starred(GRAND)
            other.set_read(REGULARIZATION)
        for _ in range(50):  # no key is pressed: the reader notices by itself
            await asyncio.sleep(0.02)
            await pilot.pause()
            if markers(screen)[:2] == ["•★", "  "]:
                break
        assert markers(screen)[:2] == ["•★", "  "]
        assert "21 unread" in header(screen)


@pytest.mark.parametrize("size", SIZES)
async def test_mark_the_day_read_and_undo(size: tuple[int, int]) -> None:
    app = HotPapersApp(sample_feed(), read_policy=NO_TIMER)
    async with app.run_test(size=size) as pilot:
        screen = await settle(pilot)
        await pilot.press("r")  # one read already: A changes the other 21, u undoes those only
        await pilot.press("A")
        await pilot.pause()
        assert "0 unread" in header(screen)
        assert "Marked 21 papers read; u undoes." in notifications(app)
        await pilot.press("u")
        await pilot.pause()
        assert "21 unread" in header(screen) and markers(screen)[:2] == ["  ", "• "]
        await pilot.press("u", "u")
        await pilot.pause()
        assert "22 unread" in header(screen)
        assert "Nothing to undo." in notifications(app)


@pytest.mark.parametrize("size", SIZES)
async def test_n_goes_to_the_next_unread_paper(size: tuple[int, int]) -> None:
    app = HotPapersApp(sample_feed(), read_policy=NO_TIMER)
    async with app.run_test(size=size) as pilot:
        screen = await settle(pilot)
        await pilot.press("j", "r", "k")  # the second paper read, back on the first
        await pilot.press("n")
        await pilot.pause()
        assert screen.paper_list.cursor == 2
        await pilot.press("A", "n")
        await pilot.pause()
        assert any("newest day" in m for m in notifications(app))


@pytest.mark.parametrize("size", SIZES)
async def test_r_and_u_overrule_a_dwell_still_counting(size: tuple[int, int]) -> None:
    # Tried in a terminal: j then r (unread) within the dwell, and two seconds later the
    # paper was read again by the dwell the j had started.
    app = HotPapersApp(sample_feed(), read_policy=ReadPolicy(after_shown=0.3, on_open=False))
    async with app.run_test(size=size) as pilot:
        screen = await settle(pilot)
        await pilot.press("j", "r")  # read by r at once...
        await pilot.press("r")  # ...and unread again by the user, within the dwell
        await asyncio.sleep(0.6)
        await pilot.pause()
        assert markers(screen)[1] == "• ", "the user's r stands: the dwell does not read it again"
        assert "22 unread" in header(screen)
        await pilot.press("j", "r", "u")  # r reads it, u takes that back, within the dwell
        await asyncio.sleep(0.6)
        await pilot.pause()
        assert markers(screen)[2] == "• ", "undone stays undone"
        await pilot.press("j", "A", "u")  # A then u: every paper unread again, the dwell forgotten
        await asyncio.sleep(0.6)
        await pilot.pause()
        assert "22 unread" in header(screen)
        with Marks.open() as marks:
            assert marks.read_ids([p.arxiv_id for p in screen.paper_list.papers]) == set()


@pytest.mark.parametrize("size", SIZES)
async def test_paging_or_entering_the_detail_is_reading_the_paper(size: tuple[int, int]) -> None:
    # Tried in a terminal: the cursor restored on a day, then space and enter to read the
    # whole abstract, and the paper stayed unread because the cursor had not been moved.
    app = HotPapersApp(sample_feed(), read_policy=ReadPolicy(after_shown=0.3, on_open=False))
    async with app.run_test(size=size) as pilot:
        screen = await settle(pilot)
        await asyncio.sleep(0.5)
        await pilot.pause()
        assert markers(screen)[0] == "• ", "the cursor placed by loading reads nothing"
        await pilot.press("space")  # pages the detail (opens it, where the list has the screen)
        await asyncio.sleep(0.6)
        await pilot.press("escape")
        await pilot.pause()
        assert markers(screen)[0] == "  ", "the detail paged: read after the dwell"
        assert markers(screen)[1] == "• "


@pytest.mark.parametrize("size", SIZES)
async def test_a_paper_marked_unread_stays_unread_until_the_user_reads_it_again(size: tuple[int, int]) -> None:
    app = HotPapersApp(sample_feed(), read_policy=ReadPolicy(after_shown=0.2, on_open=True))
    async with app.run_test(size=size) as pilot:
        screen = await settle(pilot)
        await pilot.press("r", "r")  # read, then kept unread to come back to
        await pilot.press("j", "k", "space")  # away, back, and its detail paged
        await asyncio.sleep(0.5)
        await pilot.press("escape")
        await pilot.pause()
        assert markers(screen)[0] == "• ", "kept unread: staying on it does not read it"
        assert "22 unread" in header(screen)
        await pilot.press("r")
        await pilot.pause()
        assert markers(screen)[0] == "  ", "r still reads it"
