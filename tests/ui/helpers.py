"""What the reader's Pilot tests share: waiting for a settled screen, and reading what it shows."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from textual.pilot import Pilot

from hotpapers_tui.ui.app import HotPapersApp
from hotpapers_tui.ui.screens.reader import ReaderScreen
from hotpapers_tui.ui.widgets.day_header import DayHeader, StatusLine
from hotpapers_tui.ui.widgets.key_bar import KeyBar
from hotpapers_tui.ui.widgets.paper_detail import PaperDetail
from hotpapers_tui.ui.widgets.paper_list import PaperList

SIZES = [(120, 40), (100, 30), (80, 24)]
"""The terminal sizes every point of the reader is tried at: two panes, two narrower panes, one pane."""
PREFIX = 12
"""Cells before the title in a row of a day of at most 99 papers: markers, rank, score and their gaps."""


class Recorder:
    """Stands in for the browser and the clipboard, which the headless driver would really use."""

    def __init__(self, app: HotPapersApp, monkeypatch: pytest.MonkeyPatch) -> None:
        self.opened: list[str] = []
        self.copied: list[str] = []
        monkeypatch.setattr(app, "open_url", lambda url, new_tab=True: self.opened.append(url))
        monkeypatch.setattr(app, "copy_to_clipboard", self.copied.append)


WAITING_ON_THE_USER = {"save"}
"""Worker groups that wait for a dialog's answer: never waited for."""


async def idle(pilot: Pilot[Any]) -> None:
    """Wait until no worker runs (but those waiting for the user) and the screen has caught up."""
    app = pilot.app
    for _ in range(200):
        await pilot.pause()
        # Pending counts too: a thread worker may not have started yet.
        busy = [w for w in app.workers if not w.is_finished and w.group not in WAITING_ON_THE_USER]
        if not busy:
            await pilot.pause()
            return
        await app.workers.wait_for_complete(busy)  # not empty here: empty would mean every worker
    raise AssertionError("workers still running")


async def settle(pilot: Pilot[Any]) -> ReaderScreen:
    """Wait until the reader shows a day, its marks are open and nothing is loading."""
    for _ in range(200):
        await idle(pilot)
        screen = pilot.app.screen
        if isinstance(screen, ReaderScreen) and screen.current is not None and screen.loading_day is None:
            return screen
    raise AssertionError("no day shown")


def reader(pilot: Pilot[Any]) -> ReaderScreen:
    """The reader screen under whatever dialog is on top."""
    for screen in reversed(pilot.app.screen_stack):
        if isinstance(screen, ReaderScreen):
            return screen
    raise AssertionError("no reader screen")


def header(screen: ReaderScreen) -> str:
    return screen.query_one(DayHeader).text


def status(screen: ReaderScreen) -> str:
    return screen.query_one(StatusLine).text


def key_bar(screen: ReaderScreen) -> str:
    return screen.query_one(KeyBar).text


def list_titles(screen: ReaderScreen) -> list[str]:
    """The titles of the papers listed, in row order, as the rows show them (untrusted text made plain)."""
    from hotpapers_tui.latex import latex_to_unicode
    from hotpapers_tui.textsafety import plain

    return [" ".join(plain(latex_to_unicode(p.title)).split()) for p in screen.paper_list.papers]


def rows(screen: ReaderScreen) -> list[str]:
    """What the list paints, one string per visible row."""
    paper_list = screen.query_one(PaperList)
    height = paper_list.scrollable_content_region.height
    return [paper_list.render_line(y).text for y in range(height)]


def paper_rows(screen: ReaderScreen) -> list[str]:
    """The painted rows that show a paper."""
    paper_list = screen.paper_list
    shown = len(paper_list.papers) - paper_list.scroll_offset.y
    return rows(screen)[: max(0, shown)]


def markers(screen: ReaderScreen) -> list[str]:
    """The two marker cells (unread, star) of each listed paper's painted row."""
    paper_list = screen.paper_list
    top = paper_list.scroll_offset.y
    painted = rows(screen)
    return [painted[row - top][:2] for row in range(top, min(len(paper_list.papers), top + len(painted)))]


def ranks(screen: ReaderScreen) -> list[int]:
    return list(screen.listed.ranks)


def detail_text(screen: ReaderScreen) -> str:
    return screen.query_one(PaperDetail).text


def detail_words(screen: ReaderScreen) -> str:
    """The detail's words joined by single spaces: what it says, whatever the width wrapped."""
    return " ".join(detail_text(screen).split())


def notifications(app: HotPapersApp) -> list[str]:
    return [n.message for n in app._notifications]


def shown_day(screen: ReaderScreen) -> date:
    assert screen.current is not None
    return screen.current.day.date


def highlighted_id(screen: ReaderScreen) -> str | None:
    paper = screen.paper
    return paper.arxiv_id if paper is not None else None
