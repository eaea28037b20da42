"""What keeps the reader quick, checked for behaviour: marks kept per day and written off the UI thread, and the
work a painted day does not wait for (the search index, neighbouring days) started after it is painted."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path

import pytest

from hotpapers_tui.feeds import FolderFeed
from hotpapers_tui.feeds.folder import sample_feed
from hotpapers_tui.library.marks import Marks, MarksError, ReadPolicy
from hotpapers_tui.ui.app import HotPapersApp
from tests.ui.helpers import header, idle, markers, notifications, settle

NO_TIMER = ReadPolicy(after_shown=None, on_open=False)


async def test_a_mark_that_cannot_be_written_is_said_and_the_stored_mark_shown_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = HotPapersApp(sample_feed(), read_policy=NO_TIMER)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        assert screen.store is not None
        assert markers(screen)[0] == "• "

        def refuse(ids: object, read: bool = True) -> list[str]:
            raise MarksError("marks.sqlite3: cannot save read and star marks (disk I/O error)")

        monkeypatch.setattr(screen.store.marks, "set_read_many", refuse)
        await pilot.press("r")
        for _ in range(100):
            await asyncio.sleep(0.01)
            await pilot.pause()
            if any("disk I/O error" in n for n in notifications(app)):
                break
        assert any("disk I/O error" in n for n in notifications(app))
        assert markers(screen)[0] == "• ", "not written, so shown unread again"
        assert "22 unread" in header(screen)
    with Marks.open() as marks:
        assert not marks.is_read("2106.10934")


async def test_a_mark_is_in_the_store_once_the_reader_closes() -> None:
    app = HotPapersApp(sample_feed(), read_policy=NO_TIMER)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        await pilot.press("r", "j", "asterisk", "j", "r", "r")
        assert markers(screen)[:3] == ["  ", "•★", "• "], "shown in the frame of the key, before any write ends"
    with Marks.open() as marks:
        assert marks.read_ids(["2106.10934", "2106.11189"]) == {"2106.10934"}
        assert [s.arxiv_id for s in marks.starred()] == ["2106.11189"]


async def test_a_day_shown_before_asks_the_store_nothing(posts_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = HotPapersApp(FolderFeed(posts_dir, name="dir:posts"), start_date=date(2024, 3, 5), read_policy=NO_TIMER)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        await pilot.press("right_square_bracket")
        await settle(pilot)
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert screen.store is not None
        asked: list[object] = []
        real = screen.store.marks.marks_for
        monkeypatch.setattr(screen.store.marks, "marks_for", lambda ids: asked.append(ids) or real(ids))
        for key in ("right_square_bracket", "left_square_bracket") * 3:
            await pilot.press(key)
            await pilot.pause()
        assert asked == []
        assert "unread" in header(screen)


async def test_the_index_and_the_neighbouring_days_wait_for_the_painted_day(posts_dir: Path) -> None:
    app = HotPapersApp(FolderFeed(posts_dir, name="dir:posts"), start_date=date(2024, 3, 5), read_policy=NO_TIMER)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        await idle(pilot)
        assert screen.index is not None, "the search index opens once a day is painted"
        loaded = {d.day.date for d in screen.loader.loaded_days()}
        assert loaded == {date(2024, 3, 4), date(2024, 3, 5), date(2024, 3, 7)}, "the neighbours are loaded ahead"


async def test_a_screenshot_does_without_them(posts_dir: Path) -> None:
    app = HotPapersApp(
        FolderFeed(posts_dir, name="dir:posts"), start_date=date(2024, 3, 5), read_policy=NO_TIMER, background=False
    )
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        await idle(pilot)
        assert screen.index is None
        assert [d.day.date for d in screen.loader.loaded_days()] == [date(2024, 3, 5)]
        assert "7 unread" in header(screen), "the marks are shown all the same"
