"""The reader driven by keys, as a user would, at 120x40 and 80x24."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static
from textual.widgets._toast import Toast

from hotpapers_tui.feeds import DayLoad, FeedError, FolderFeed
from hotpapers_tui.posts import read_post
from hotpapers_tui.ui.app import HotPapersApp
from hotpapers_tui.ui.dialogs.confirm import ConfirmDialog
from hotpapers_tui.ui.dialogs.goto_date import GotoDateDialog
from hotpapers_tui.ui.dialogs.save_post import SavePostDialog
from hotpapers_tui.ui.screens.help import HelpScreen
from hotpapers_tui.ui.screens.reader import ReaderScreen
from hotpapers_tui.ui.widgets.day_header import DayHeader
from hotpapers_tui.ui.widgets.paper_list import PaperList
from tests.ui.conftest import BROKEN, CLOSING_SHOWN, DAYS, TRICKY_TITLE

SIZES = [(120, 40), (80, 24)]


class Recorder:
    """Stands in for the browser and the clipboard, which the headless driver would really use."""

    def __init__(self, app: HotPapersApp, monkeypatch: pytest.MonkeyPatch) -> None:
        self.opened: list[str] = []
        self.copied: list[str] = []
        monkeypatch.setattr(app, "open_url", lambda url, new_tab=True: self.opened.append(url))
        monkeypatch.setattr(app, "copy_to_clipboard", self.copied.append)


async def settle(pilot: Pilot[Any]) -> ReaderScreen:
    """Wait until the reader shows a day and nothing is loading."""
    for _ in range(100):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        screen = pilot.app.screen
        if isinstance(screen, ReaderScreen) and screen.current is not None:
            # Showing a day starts prefetch workers after the load worker is done.
            while any(worker.is_running for worker in pilot.app.workers):
                await pilot.app.workers.wait_for_complete()
                await pilot.pause()
            await pilot.pause()
            return screen
    raise AssertionError("no day shown")


def shown(widget: Static) -> str:
    return str(widget.content)


def header(screen: ReaderScreen) -> str:
    return shown(screen.query_one(DayHeader))


def list_titles(screen: ReaderScreen) -> list[str]:
    table = screen.query_one(PaperList)
    return [table.get_row_at(i)[5].plain for i in range(table.row_count)]


def detail_head(screen: ReaderScreen) -> str:
    return shown(screen.query_one("#detail-head", Static))


def notifications(app: HotPapersApp) -> list[str]:
    return [n.message for n in app._notifications]


def shown_day(screen: ReaderScreen) -> date:
    assert screen.current is not None
    return screen.current.day.date


@pytest.mark.parametrize("size", SIZES)
async def test_opens_newest_and_days_skip_gaps(feed: FolderFeed, size: tuple[int, int]) -> None:
    # The broken file is the newest day: the reader must say so and still be usable.
    app = HotPapersApp(feed, start_date=DAYS[-1])
    async with app.run_test(size=size) as pilot:
        screen = await settle(pilot)
        assert shown_day(screen) == date(2024, 3, 8)
        assert "Friday 2024-03-08" in header(screen)
        assert "6 papers" in header(screen)
        assert "day 4 of 5" in header(screen)
        await pilot.press("left_square_bracket")
        screen = await settle(pilot)
        assert shown_day(screen) == date(2024, 3, 7)
        await pilot.press("left_square_bracket")
        screen = await settle(pilot)
        assert shown_day(screen) == date(2024, 3, 5), "2024-03-06 has no post and is skipped"
        assert list_titles(screen)[0] == TRICKY_TITLE
        await pilot.press("right_square_bracket")
        screen = await settle(pilot)
        assert shown_day(screen) == date(2024, 3, 7)
        await pilot.press("home")
        screen = await settle(pilot)
        assert shown_day(screen) == date(2024, 3, 4)
        await pilot.press("left_square_bracket")
        screen = await settle(pilot)
        assert shown_day(screen) == date(2024, 3, 4)
        assert "This is the oldest day." in notifications(app)
        # left/right move between days while the list has focus.
        await pilot.press("right")
        screen = await settle(pilot)
        assert shown_day(screen) == date(2024, 3, 5)
        await pilot.press("left")
        screen = await settle(pilot)
        assert shown_day(screen) == date(2024, 3, 4)


async def test_feed_error_keeps_current_day(feed: FolderFeed) -> None:
    app = HotPapersApp(feed, start_date=date(2024, 3, 8))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        before = list_titles(screen)
        await pilot.press("end")  # the newest day is the broken file
        screen = await settle(pilot)
        assert shown_day(screen) == date(2024, 3, 8)
        assert list_titles(screen) == before
        assert any("line 1" in message for message in notifications(app)), notifications(app)
        # After the error, [ still counts from the day on screen.
        await pilot.press("left_square_bracket")
        screen = await settle(pilot)
        assert shown_day(screen) == date(2024, 3, 7)


async def test_quick_presses_load_only_the_last_day(posts_dir: Path) -> None:
    class SlowFeed(FolderFeed):
        """Loads take a while, so that quick presses overtake them; records finished loads."""

        def __init__(self, folder: Path) -> None:
            super().__init__(folder)
            self.finished: list[date] = []

        async def load(self, day: date, *, refresh: bool = False, progress: Any = None) -> DayLoad:
            await asyncio.sleep(0.3)
            loaded = await super().load(day, refresh=refresh, progress=progress)
            self.finished.append(day)
            return loaded

    feed = SlowFeed(posts_dir)
    app = HotPapersApp(feed, start_date=date(2024, 3, 4))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        screen.cache.clear()
        feed.finished.clear()
        for _ in range(3):
            await pilot.press("right_square_bracket")
        screen = await settle(pilot)
        assert shown_day(screen) == date(2024, 3, 8)
        # 2024-03-05 was asked for on the way and never finished loading; after the last
        # day is shown, only its neighbours are prefetched.
        assert feed.finished[0] == date(2024, 3, 8), feed.finished
        assert date(2024, 3, 5) not in feed.finished


@pytest.mark.parametrize("size", SIZES)
async def test_detail_follows_cursor_and_links_act_on_it(
    feed: FolderFeed, size: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    app = HotPapersApp(feed, start_date=date(2024, 3, 7))
    recorder = Recorder(app, monkeypatch)
    async with app.run_test(size=size) as pilot:
        screen = await settle(pilot)
        papers = screen.current.day.papers if screen.current else ()
        assert papers[0].title in detail_head(screen)
        await pilot.press("down", "down")
        assert papers[2].title in detail_head(screen)
        assert papers[2].abstract.startswith("We study")
        assert "1000× speed-up for γ-ray" in shown(screen.query_one("#detail-abstract", Static))
        await pilot.press("o", "p", "t", "y")
        if size[0] > 80:
            # A click on a row highlights it, and the detail follows the mouse as well.
            await pilot.click(PaperList, offset=(10, 2))
            await pilot.pause()
            assert screen.query_one(PaperList).cursor_row == 1
            assert papers[1].title in detail_head(screen)
        assert recorder.opened == [papers[2].abs_url, papers[2].pdf_url, papers[2].tweets[0].url]
        assert recorder.copied == [papers[2].abs_url]
        assert any(papers[2].abs_url in message for message in notifications(app))


async def test_only_web_links_are_opened(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dataclasses import replace

    from tests.ui.postgen import make_day, make_paper

    day = date(2024, 1, 2)
    paper = replace(make_paper(day, 1), abs_url="file:///etc/passwd", pdf_url="javascript:alert(1)")

    class OneDayFeed:
        name = "memory"

        async def days(self) -> list[date]:
            return [day]

        async def load(self, wanted: date, *, refresh: bool = False, progress: Any = None) -> DayLoad:
            return DayLoad(make_day(day, [paper]))

        async def aclose(self) -> None:
            return None

    app = HotPapersApp(OneDayFeed())
    recorder = Recorder(app, monkeypatch)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("o", "p")
        assert recorder.opened == []
        assert sum("only http and https" in m for m in notifications(app)) == 2


@pytest.mark.parametrize("size", SIZES)
async def test_untrusted_text_is_shown_literally(
    posts_dir: Path, size: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    app = HotPapersApp(FolderFeed(posts_dir, name="dir:[bold]posts[/]"), start_date=date(2024, 3, 5))
    Recorder(app, monkeypatch)
    async with app.run_test(size=size, notifications=True) as pilot:
        screen = await settle(pilot)
        assert list_titles(screen)[:2] == [TRICKY_TITLE, CLOSING_SHOWN]
        assert header(screen).startswith("dir:[bold]posts[/]  ")
        if size[0] <= 80:
            await pilot.press("enter")
        head = detail_head(screen)
        assert head.startswith(TRICKY_TITLE + "\n")
        abstract = shown(screen.query_one("#detail-abstract", Static))
        assert abstract == "An abstract with [b]markup[/b], γ and a link."
        card = shown(screen.query(".tweet-card").results(Static).__next__())
        assert card.startswith("Tricky [red]Name[/red]  @tricky")
        assert "Line one [bold]\nline two" in card
        await pilot.press("y")
        assert any(m.endswith("\n" + TRICKY_TITLE) for m in notifications(app)), notifications(app)
        await pilot.pause()
        toasts = [str(toast.render()) for toast in app.screen.query(Toast)]
        assert any(TRICKY_TITLE in toast for toast in toasts), toasts
        if size[0] <= 80:
            await pilot.press("escape")
        await pilot.press("down")
        head = detail_head(screen)
        assert head.startswith(CLOSING_SHOWN + "\n")
        assert "\x1b" not in head
        # What the list paints, not only what it holds (the title may be cut with an ellipsis).
        painted = screen.query_one(PaperList).render_line(1).text
        assert "[Re] Attention [WIP]:" in painted, painted


async def test_go_to_date_refuses_bad_dates_and_finds_nearest_earlier(feed: FolderFeed) -> None:
    app = HotPapersApp(feed, start_date=date(2024, 3, 4))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("g")
        assert isinstance(app.screen, GotoDateDialog)
        field = app.screen.query_one(Input)
        field.value = "2024-02-30"
        await pilot.press("enter")
        assert isinstance(app.screen, GotoDateDialog), "a bad date keeps the dialog open"
        assert "Not a date" in shown(app.screen.query_one("#date-error", Static))
        field.value = "2024-03-06"
        await pilot.press("enter")
        screen = await settle(pilot)
        assert shown_day(screen) == date(2024, 3, 5)
        assert "No post for 2024-03-06; showing 2024-03-05." in notifications(app)
        await pilot.press("g")
        app.screen.query_one(Input).value = "1999-01-01"
        await pilot.press("enter")
        screen = await settle(pilot)
        assert shown_day(screen) == date(2024, 3, 5)
        assert any("No day on or before 1999-01-01" in m for m in notifications(app))


async def test_start_date_without_post_opens_nearest_earlier(feed: FolderFeed) -> None:
    app = HotPapersApp(feed, start_date=date(2024, 3, 6))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        assert shown_day(screen) == date(2024, 3, 5)
        assert any("nearest earlier day, 2024-03-05" in m for m in notifications(app))


@pytest.mark.parametrize("size", SIZES)
async def test_save_writes_and_never_overwrites_silently(
    feed: FolderFeed, posts_dir: Path, tmp_path: Path, size: tuple[int, int]
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    app = HotPapersApp(feed, start_date=date(2024, 3, 7), export_dir=out)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("s")
        assert isinstance(app.screen, SavePostDialog)
        assert app.screen.query_one(Input).value == str(out / "2024-03-07---Hot-Papers.md")
        await pilot.press("enter")
        await settle(pilot)
        target = out / "2024-03-07---Hot-Papers.md"
        # An unmodified day is written back byte for byte.
        assert target.read_bytes() == (posts_dir / target.name).read_bytes()
        assert f"Saved {target}" in notifications(app)

        target.write_text("the user's own edits\n", encoding="utf-8")
        await pilot.press("s")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await settle(pilot)
        assert target.read_text(encoding="utf-8") == "the user's own edits\n"
        assert any("Not saved" in m for m in notifications(app))

        await pilot.press("s", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot)
        assert target.read_bytes() == (posts_dir / target.name).read_bytes()


async def test_save_error_is_a_notification(feed: FolderFeed, tmp_path: Path) -> None:
    app = HotPapersApp(feed, start_date=date(2024, 3, 7), export_dir=tmp_path / "missing")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("s", "enter")
        await settle(pilot)
        assert any("no such folder" in m for m in notifications(app))


async def test_help_lists_every_binding_and_rebinding_works(feed: FolderFeed) -> None:
    from hotpapers_tui.keymap import BINDINGS

    app = HotPapersApp(feed, start_date=date(2024, 3, 4), keymap={"next_day": "n", "no_such": "x"})
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        assert " n Next " in shown(screen.query_one("#key-bar", Static)), "the footer shows the rebound key"
        assert "Keymap: no binding with id no_such" in notifications(app)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one(Static).content)
        for binding in BINDINGS:
            assert binding.command in text
        assert "\nn " in text, "the help shows the rebound key"
        await pilot.press("escape")
        await pilot.press("n")
        screen = await settle(pilot)
        assert shown_day(screen) == date(2024, 3, 5)


async def test_command_palette_names_every_action(feed: FolderFeed) -> None:
    app = HotPapersApp(feed)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        # The newest day cannot be read: the reader says so and falls back to the one before.
        assert shown_day(screen) == date(2024, 3, 8)
        assert any("line 1" in m for m in notifications(app))
        names = {command.title for command in app.get_system_commands(screen)}
        for wanted in ("Save day as Markdown post", "Go to date", "Open PDF", "Next day", "Open abstract page"):
            assert wanted in names


async def test_empty_or_missing_feed_explains_itself(tmp_path: Path) -> None:
    app = HotPapersApp(FolderFeed(tmp_path / "nowhere"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert any("not a folder of posts" in m for m in notifications(app))
        await pilot.press("right_square_bracket", "o", "s")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)


async def test_refresh_reloads_and_keeps_cursor(feed: FolderFeed) -> None:
    app = HotPapersApp(feed, start_date=date(2024, 3, 4))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        await pilot.press("down")
        await pilot.press("R")
        screen = await settle(pilot)
        assert screen.query_one(PaperList).cursor_row == 1
        assert "Refreshed 2024-03-04." in notifications(app)


def test_broken_day_is_really_broken(posts_dir: Path) -> None:
    from hotpapers_tui.posts import PostError

    with pytest.raises(PostError):
        read_post(posts_dir / f"{BROKEN.isoformat()}---Hot-Papers.md")
    assert FeedError
