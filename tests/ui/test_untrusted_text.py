"""Hostile text from posts shows literally or stripped, never acts on the terminal, never breaks the layout."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len

from hotpapers_tui.feeds import FolderFeed
from hotpapers_tui.library.marks import ReadPolicy
from hotpapers_tui.ui.app import HotPapersApp
from hotpapers_tui.ui.screens.reader import ReaderScreen
from hotpapers_tui.ui.widgets.paper_list import PaperList
from tests.ui.helpers import detail_text, detail_words, header, list_titles, rows, settle
from tests.ui.postgen import embed, make_day, make_paper, write_posts

DAY = date(2024, 6, 4)
ESC, BEL = "\x1b", "\x07"
MARKUP_TITLE = "[bold red]Pwned[/] [link=https://evil.example]click[/link] [@click=app.quit]q[/]"
ESCAPES_TITLE = (
    f"{ESC}[31mred{ESC}[0m {ESC}]52;c;ZXZpbA=={BEL}clip {ESC}]8;;https://evil.example{BEL}link{ESC}]8;;{BEL}"
)
BIDI_TITLE = "safe \u202eelif.exe\u202c and zero\u200bwidth"
LONG_WORD = "A" * 10_000
WIDE = "大規模言語モデルの推論を高速化する 🚀🧪 手法"


def hostile_day() -> list[Any]:
    first = make_paper(
        DAY,
        1,
        title=MARKUP_TITLE,
        abstract=f"{LONG_WORD} then {ESC}[2J{ESC}[H cleared? {WIDE} $\\gamma$ [/x]",
        tweets=[embed(f"{ESC}]52;c;cm0gLXJmIH4={BEL}copy me [b]x[/b]\n{WIDE}", "Evil [i]Name[/i]", "evil", 9, DAY)],
        score=900,
    )
    first = replace(first, authors=("Mallory [link=https://evil.example]x[/link]", "Zero\u200bWidth \u202eRTL"))
    return [
        first,
        make_paper(DAY, 2, title=ESCAPES_TITLE, score=800),
        make_paper(DAY, 3, title=BIDI_TITLE, score=700),
        make_paper(DAY, 4, title=WIDE * 3, score=600),
        make_paper(DAY, 5, title=LONG_WORD, score=500),
    ]


@pytest.fixture
def hostile_feed(tmp_path: Path) -> FolderFeed:
    write_posts(tmp_path / "posts", [make_day(DAY, hostile_day())])
    return FolderFeed(tmp_path / "posts", name="dir:posts")


def reader(feed: FolderFeed) -> HotPapersApp:
    return HotPapersApp(feed, read_policy=ReadPolicy(after_shown=None, on_open=False))


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_hostile_text_is_shown_literally_or_stripped(hostile_feed: FolderFeed, size: tuple[int, int]) -> None:
    app = reader(hostile_feed)
    async with app.run_test(size=size) as pilot:
        screen = await settle(pilot)
        titles = list_titles(screen)
        assert titles[0] == MARKUP_TITLE  # markup is text, the quit action never runs
        assert titles[1] == "red clip link"  # SGR, OSC 52 and OSC 8 gone, their text kept
        assert "\u202e" not in titles[2] and "\u200b" not in titles[2] and "elif.exe" in titles[2]
        assert titles[3] == WIDE * 3 and titles[4] == LONG_WORD
        if size[0] <= 80:
            await pilot.press("enter")
        everything = "".join(titles) + header(screen) + detail_text(screen)
        assert ESC not in everything and BEL not in everything
        assert "[bold red]Pwned[/]" in detail_words(screen)
        assert "Mallory [link=https://evil.example]x[/link]" in detail_words(screen)
        assert "copy me [b]x[/b]" in detail_words(screen)
        if size[0] <= 80:
            await pilot.press("escape")
        # One painted line per paper, each the list's width, whatever the title holds.
        painted = rows(screen)
        width = screen.query_one(PaperList).scrollable_content_region.width
        assert all(cell_len(line) == width for line in painted)
        assert WIDE[:10] in painted[3] and "AAAA" in painted[4] and painted[4].endswith("…")
        assert not any(ESC in line or BEL in line for line in painted)
        assert isinstance(app.screen, ReaderScreen)  # still running: nothing quit the app
        await pilot.press(*["down"] * 4)
        await pilot.pause()
        assert screen.paper is not None and screen.paper.title == LONG_WORD


def test_hostile_day_snapshot(snap_compare: Any, hostile_feed: FolderFeed) -> None:
    async def settle_first(pilot: Any) -> None:
        await settle(pilot)

    assert snap_compare(reader(hostile_feed), terminal_size=(80, 24), run_before=settle_first)
