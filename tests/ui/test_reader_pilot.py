"""The reader driven by keys, as a user would, at 120x40, 100x30 and 80x24."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, Static
from textual.widgets._toast import Toast

from hotpapers_tui.feeds import DayLoad, FolderFeed
from hotpapers_tui.posts import PostError, read_post
from hotpapers_tui.ui.app import HotPapersApp
from hotpapers_tui.ui.dialogs.confirm import ConfirmDialog
from hotpapers_tui.ui.dialogs.goto_date import GotoDateDialog
from hotpapers_tui.ui.dialogs.save_post import SavePostDialog
from hotpapers_tui.ui.screens.help import HelpScreen
from hotpapers_tui.ui.screens.reader import ReaderScreen
from tests.ui.conftest import BROKEN, CLOSING_SHOWN, DAYS, TRICKY_TITLE
from tests.ui.helpers import (
    SIZES,
    Recorder,
    detail_text,
    detail_words,
    header,
    key_bar,
    list_titles,
    notifications,
    rows,
    settle,
    shown_day,
)


@pytest.mark.parametrize("size", SIZES)
async def test_opens_newest_and_days_skip_gaps(feed: FolderFeed, size: tuple[int, int]) -> None:
    app = HotPapersApp(feed, start_date=DAYS[-1])
    async with app.run_test(size=size) as pilot:
        screen = await settle(pilot)
        assert shown_day(screen) == date(2024, 3, 8)
        assert "Fri 2024-03-08" in header(screen)
        assert "6 papers" in header(screen)
        assert "day 4/5" in header(screen)
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
        await pilot.press("left_curly_bracket")
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


async def test_a_day_that_cannot_be_read_keeps_the_current_day(feed: FolderFeed) -> None:
    app = HotPapersApp(feed, start_date=date(2024, 3, 8))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        before = list_titles(screen)
        await pilot.press("right_curly_bracket")  # the newest day is the broken file
        screen = await settle(pilot)
        assert shown_day(screen) == date(2024, 3, 8)
        assert list_titles(screen) == before
        assert any("line 1" in message for message in notifications(app)), notifications(app)
        assert "loading" not in header(screen)
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
        screen.loader.clear()
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
        if size[0] <= 80:
            await pilot.press("enter")  # one pane at a time: the detail opens over the list
        assert detail_text(screen).startswith(papers[0].title)
        if size[0] <= 80:
            await pilot.press("escape")
        await pilot.press("down", "j")
        if size[0] <= 80:
            await pilot.press("enter")
        assert detail_text(screen).startswith(papers[2].title)
        assert "1000× speed-up for γ-ray" in detail_words(screen)
        await pilot.press("o", "p", "t", "y")
        if size[0] > 80:
            # A click on a row highlights it, and the detail follows the mouse as well.
            await pilot.click("#paper-list", offset=(10, 1))
            await pilot.pause()
            assert screen.paper_list.cursor == 1
            assert detail_text(screen).startswith(papers[1].title)
        assert recorder.opened == [papers[2].abs_url, papers[2].pdf_url, papers[2].tweets[0].url]
        assert recorder.copied == [papers[2].abs_url]
        assert any(papers[2].abs_url in message for message in notifications(app))


@pytest.mark.parametrize("size", [(120, 40), (100, 30)])
async def test_link_labels_open_on_a_click(feed: FolderFeed, size: tuple[int, int], monkeypatch: Any) -> None:
    app = HotPapersApp(feed, start_date=date(2024, 3, 7))
    recorder = Recorder(app, monkeypatch)
    async with app.run_test(size=size) as pilot:
        screen = await settle(pilot)
        paper = screen.paper
        assert paper is not None
        lines = detail_text(screen).split("\n")
        for label, url in (("pdf", paper.pdf_url), ("abs", paper.abs_url)):
            row = next(n for n, line in enumerate(lines) if line.startswith(f" {label} "))
            await pilot.click("#paper-detail", offset=(3, row))
            await pilot.pause()
            assert recorder.opened[-1] == url
        post = next(n for n, line in enumerate(lines) if line.startswith(" post "))
        await pilot.click("#paper-detail", offset=(3, post))
        await pilot.pause()
        assert recorder.opened[-1] == paper.tweets[0].url


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
        text = detail_text(screen)
        assert text.startswith(TRICKY_TITLE + "\n")
        assert "An abstract with [b]markup[/b], γ and a link." in detail_words(screen)
        assert "Tricky [red]Name[/red] @tricky" in detail_words(screen)
        assert "Line one [bold]\nline two" in text
        await pilot.press("y")
        assert any(m.endswith("\n" + TRICKY_TITLE) for m in notifications(app)), notifications(app)
        await pilot.pause()
        toasts = [str(toast.render()) for toast in app.screen.query(Toast)]
        assert any(TRICKY_TITLE in toast for toast in toasts), toasts
        if size[0] <= 80:
            await pilot.press("escape")
        await pilot.press("down")
        if size[0] <= 80:
            await pilot.press("enter")
        assert detail_words(screen).startswith(CLOSING_SHOWN + " Ada Example2")
        assert "\x1b" not in detail_text(screen)
        if size[0] <= 80:
            await pilot.press("escape")
        # What the list paints, not only what it holds.
        assert "[Re] Attention [WIP]: the [bold]" in rows(screen)[0]


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
        assert "Not a date" in str(app.screen.query_one("#date-error", Static).content)
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
async def test_save_shows_the_full_path_and_never_overwrites_silently(
    feed: FolderFeed, posts_dir: Path, tmp_path: Path, size: tuple[int, int]
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    app = HotPapersApp(feed, start_date=date(2024, 3, 7), export_dir=out)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("s")
        assert isinstance(app.screen, SavePostDialog)
        target = out / "2024-03-07---Hot-Papers.md"
        assert app.screen.query_one(Input).value == str(target)
        assert f"Writes {target}" in str(app.screen.query_one("#save-target", Static).content)
        await pilot.press("enter")
        await settle(pilot)
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


async def test_save_without_export_dir_offers_the_current_folder_in_full(
    feed: FolderFeed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    app = HotPapersApp(feed, start_date=date(2024, 3, 7))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        assert isinstance(app.screen, SavePostDialog)
        field = app.screen.query_one(Input)
        assert field.value == str(tmp_path / "2024-03-07---Hot-Papers.md")
        field.value = "sub"
        (tmp_path / "sub").mkdir()
        await pilot.pause()
        note = str(app.screen.query_one("#save-target", Static).content)
        assert note == f"Writes {tmp_path / 'sub' / '2024-03-07---Hot-Papers.md'}"


async def test_save_error_is_a_notification(feed: FolderFeed, tmp_path: Path) -> None:
    app = HotPapersApp(feed, start_date=date(2024, 3, 7), export_dir=tmp_path / "missing")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("s", "enter")
        await settle(pilot)
        assert any("no such folder" in m for m in notifications(app))


async def test_help_lists_every_binding_and_rebinding_works(feed: FolderFeed) -> None:
    from hotpapers_tui.keymap import BINDINGS

    app = HotPapersApp(feed, start_date=date(2024, 3, 4), keymap={"next_day": "N", "no_such": "x"})
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        assert " N Next " in key_bar(screen), "the footer shows the rebound key"
        assert "Keymap: no binding with id no_such" in notifications(app)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = "\n".join(str(static.content) for static in app.screen.query(Static))
        for binding in BINDINGS:
            assert binding.command in text
        keys = [str(cell.content) for cell in app.screen.query(".help-key").results(Static)]
        assert "N" in keys and "]" not in keys, "the help shows the rebound key"
        await pilot.press("escape")
        await pilot.press("N")
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
        for wanted in (
            "Save day as Markdown post",
            "Go to date",
            "Open PDF",
            "Next day",
            "Mark the papers listed read",
        ):
            assert any(name.startswith(wanted) for name in names), wanted


async def test_a_missing_folder_says_so_and_shows_the_sample(tmp_path: Path) -> None:
    app = HotPapersApp(FolderFeed(tmp_path / "nowhere"))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await settle(pilot)
        assert any("not a folder of posts" in m for m in notifications(app))
        assert screen.loader.feed.name == "sample"
        assert "not a folder of posts" in header(screen) + " " + screen.query_one("#status-line").text
        await pilot.press("right_square_bracket", "o")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)


async def test_refresh_reloads_and_keeps_the_paper(feed: FolderFeed) -> None:
    app = HotPapersApp(feed, start_date=date(2024, 3, 4))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        await pilot.press("down", "down")
        wanted = screen.paper
        await pilot.press("R")
        screen = await settle(pilot)
        assert screen.paper == wanted and screen.paper_list.cursor == 2
        assert "Refreshed 2024-03-04." in notifications(app)


def test_broken_day_is_really_broken(posts_dir: Path) -> None:
    with pytest.raises(PostError) as caught:
        read_post(posts_dir / f"{BROKEN.isoformat()}---Hot-Papers.md")
    assert caught.value.line == 1 and BROKEN.isoformat() in caught.value.source
