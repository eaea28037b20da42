"""A layout for reading: whole titles, a roomy detail, whole URLs or none, and a header of one line in every state."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import date, datetime
from typing import Any

import pytest
from rich.cells import cell_len

from hotpapers_tui.feeds import DayLoad
from hotpapers_tui.library.marks import ReadPolicy
from hotpapers_tui.ui.app import HotPapersApp
from hotpapers_tui.ui.widgets.day_header import DayHeader, StatusLine
from hotpapers_tui.ui.widgets.key_bar import KeyBar
from hotpapers_tui.ui.widgets.paper_detail import PaperDetail
from hotpapers_tui.ui.widgets.paper_list import PaperList
from tests.ui.helpers import PREFIX, SIZES, detail_text, header, paper_rows, reader, rows, settle, status
from tests.ui.postgen import make_day, make_paper

DAY = date(2024, 2, 6)
LONG = (
    "Scaling Laws for Sparse Mixture-of-Experts Transformers Trained on Multilingual Web Corpora "
    "and Their Consequences for Low-Resource Languages"
)
TITLE_ROOM = {120: 55, 100: 45}
"""The least title characters a row shows at each width with two panes (80 columns: the whole width)."""
NO_TIMER = ReadPolicy(after_shown=None, on_open=False)


class LongTitles:
    """Days of papers with long titles and long post URLs; ``stale`` days say they are offline copies."""

    name = "archive"
    prefetch = False  # a day loads when asked: the header's loading state can be seen

    def __init__(self, *, stale: bool = False, slow: float = 0.0) -> None:
        self.stale = stale
        self.slow = slow

    async def days(self) -> list[date]:
        return [DAY, date(2024, 2, 7)]

    async def load(self, day: date, *, refresh: bool = False, progress: Any = None) -> DayLoad:
        if self.slow and day != DAY:
            if progress is not None:
                progress("hackernews: 12 posts, bluesky: skipped (no credentials), x: skipped (no token)")
            await asyncio.sleep(self.slow)
        papers = [replace(make_paper(day, n), title=f"{LONG} ({n})") for n in range(1, 31)]
        return DayLoad(make_day(day, papers), stale=self.stale, fetched_at=datetime(2024, 2, 8, 9, 30))

    async def aclose(self) -> None:
        return None


def title_cells(row: str) -> int:
    """How many title characters a painted row shows (an ellipsis does not count)."""
    title = row[PREFIX:].rstrip()
    return len(title) - title.endswith("…")


@pytest.mark.parametrize("size", SIZES)
async def test_titles_take_the_room(size: tuple[int, int]) -> None:
    width = size[0]
    app = HotPapersApp(LongTitles(), start_date=DAY, read_policy=NO_TIMER)  # type: ignore[arg-type]
    async with app.run_test(size=size) as pilot:
        screen = await settle(pilot)
        shown = [title_cells(row) for row in paper_rows(screen)]
        paper_list = screen.query_one(PaperList)
        if width in TITLE_ROOM:
            assert min(shown) >= TITLE_ROOM[width], shown
            detail = screen.query_one(PaperDetail)
            assert detail.region.x > 0 and detail.region.width >= 40
            if width >= 120:
                assert detail.region.width >= 45
        else:
            # One pane: the title has the whole width but the markers, rank, score and scrollbar.
            assert paper_list.region.width == width
            assert min(shown) == width - PREFIX - 1 - 1  # the scrollbar, and the ellipsis
        assert all(cell_len(row) == paper_list.scrollable_content_region.width for row in rows(screen))


@pytest.mark.parametrize("width", [81, 90, 99, 100, 110, 119, 120, 200])
async def test_no_column_is_cut_and_no_url_is_broken_mid_host(width: int) -> None:
    app = HotPapersApp(LongTitles(), start_date=DAY, read_policy=NO_TIMER)  # type: ignore[arg-type]
    async with app.run_test(size=(width, 30)) as pilot:
        screen = await settle(pilot)
        paper = screen.paper
        assert paper is not None
        assert all(title_cells(row) >= 40 for row in paper_rows(screen))
        lines = detail_text(screen).split("\n")
        links = [line for line in lines if line.startswith((" abs ", " pdf ", " post "))]
        assert len(links) == 2 + len(paper.tweets)
        for line in links:
            shown = line.split(None, 2)[-1] if len(line.split()) > 2 else ""
            url = shown.rstrip("…")
            # A URL is shown whole, or cut only after its host, or not at all.
            assert not url or "arxiv.org/" in url or "twitter.com/" in url, line
        detail = screen.query_one(PaperDetail)
        assert all(cell_len(line) <= detail.scrollable_content_region.width for line in lines)


async def header_states(pilot: Any, width: int) -> list[tuple[str, str]]:
    """(header, status) in each state: plain, sorted, filtered, loading with progress, offline."""
    seen = []
    screen = await settle(pilot)
    seen.append((header(screen), status(screen)))
    await pilot.press("S", "S")
    seen.append((header(screen), status(screen)))
    await pilot.press("slash", *"Scaling (17)", "enter")
    await pilot.pause()
    seen.append((header(screen), status(screen)))
    await pilot.press("right_square_bracket")
    await asyncio.sleep(0.05)
    await pilot.pause()
    seen.append((header(screen), status(screen)))
    return seen


@pytest.mark.parametrize("size", [(80, 24), (100, 30), (120, 40), (200, 50)])
@pytest.mark.parametrize("stale", [False, True])
async def test_the_header_is_one_line_in_every_state(size: tuple[int, int], stale: bool) -> None:
    feed = LongTitles(stale=stale, slow=0.5)
    app = HotPapersApp(feed, start_date=DAY, read_policy=NO_TIMER)  # type: ignore[arg-type]
    async with app.run_test(size=size) as pilot:
        states = await header_states(pilot, size[0])
        screen = reader(pilot)
        assert screen.query_one(DayHeader).region.height == 1
        assert screen.query_one(StatusLine).region.height in (0, 1)
        for shown, said in states:
            assert "\n" not in shown and cell_len(shown) <= size[0] - 2, shown
            assert "\n" not in said
        plain, ordered, filtered, loading = states
        assert "sort: favorites" in ordered[0] + ordered[1]
        assert "filter: 1/30" in filtered[0] + filtered[1]
        assert "loading 2024-02-07" in loading[0] + loading[1]
        assert "building" not in loading[0] and "hackernews: 12 posts" in loading[1]
        if stale:
            assert "offline" in plain[0] and "offline: showing data from 2024-02-08 09:30" in plain[1]
        # Nothing essential is ever cut: the feed and the day lead every header.
        assert all(shown.startswith("archive  Tue 2024-02-06") for shown, _ in states)
        await screen.workers.wait_for_complete()


async def test_the_list_keeps_its_rows_with_the_filter_open_at_80x24() -> None:
    app = HotPapersApp(LongTitles(), start_date=DAY, read_policy=NO_TIMER)  # type: ignore[arg-type]
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await settle(pilot)
        assert screen.query_one(PaperList).region.height == 22
        await pilot.press("slash", "S")
        await pilot.pause()
        # Header, filter line and footer: one line each.
        assert screen.query_one(PaperList).region.height == 21


@pytest.mark.parametrize("size", SIZES)
async def test_the_footer_is_clickable(size: tuple[int, int]) -> None:
    app = HotPapersApp(LongTitles(), start_date=DAY, read_policy=NO_TIMER)  # type: ignore[arg-type]
    async with app.run_test(size=size) as pilot:
        screen = await settle(pilot)
        bar = screen.query_one(KeyBar)
        text = bar.text
        assert cell_len(text) <= size[0] and " ? Help " in text and " q Quit " in text
        column = text.index(" ] Next ") + 2
        await pilot.click(KeyBar, offset=(column, 0))
        screen = await settle(pilot)
        assert screen.current is not None and screen.current.day.date == date(2024, 2, 7)
        await pilot.click(KeyBar, offset=(text.index(" ? Help ") + 2, 0))
        await pilot.pause()
        from hotpapers_tui.ui.screens.help import HelpScreen

        assert isinstance(app.screen, HelpScreen)


@pytest.mark.parametrize("size", [*SIZES, (90, 30)])
async def test_a_count_stays_on_the_line_of_its_label(size: tuple[int, int]) -> None:
    # Seen at 100x30: "score 7868  retweets 7779  favorites" and "89" alone on the next line.
    from hotpapers_tui.feeds.folder import sample_feed

    app = HotPapersApp(sample_feed(), read_policy=NO_TIMER)
    async with app.run_test(size=size) as pilot:
        screen = await settle(pilot)
        if size[0] <= 80:
            await pilot.press("enter")
            await pilot.pause()
        lines = [line.strip() for line in detail_text(screen).splitlines()]
        labels = ("score", "retweets", "favorites", "counted", "by source")
        for line in lines:
            assert not line.endswith(labels), f"a label without its value: {line!r}"
        said = " ".join(lines)
        assert "score 7868" in said and "retweets 7779" in said and "favorites 89" in said
        assert "counted 2021-06-23 10:32" in said


@pytest.mark.parametrize("size", SIZES)
async def test_a_long_description_in_the_help_wraps_in_its_own_column(size: tuple[int, int]) -> None:
    # Seen at 120x40: "Back: to the list, stop a load," then "unfilter" under the keys, read as a key.
    from textual.widgets import Static

    from hotpapers_tui.feeds.folder import sample_feed
    from hotpapers_tui.ui.screens.help import HelpScreen

    app = HotPapersApp(sample_feed(), read_policy=NO_TIMER)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        keys = list(help_screen.query(".help-key").results(Static))
        whats = list(help_screen.query(".help-what").results(Static))
        assert len(keys) == len(whats) >= 40
        for key, what in zip(keys, whats, strict=True):
            # Each description starts right of its key, on the key's line, and wraps there.
            assert what.region.x > key.region.right - 1 and what.region.y == key.region.y
            assert key.region.height <= 1, f"a key cell holds one line: {key.content}"
        escape = next(w for k, w in zip(keys, whats, strict=True) if str(k.content) == "escape")
        assert "unfilter" in str(escape.content)
