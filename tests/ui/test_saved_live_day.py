"""A live day saved with s and read back from the folder shows in the reader as it did live: order, scores, sources."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from hotpapers_tui.feeds import DayLoad, FolderFeed
from hotpapers_tui.library.marks import ReadPolicy
from hotpapers_tui.model import Day
from hotpapers_tui.ui.app import HotPapersApp
from tests.posts.test_saved_live_days import constructed_live_day
from tests.ui.helpers import SIZES, detail_words, paper_rows, settle

NO_MARKS = ReadPolicy(after_shown=None, on_open=False)


class OneLiveDay:
    """The live feed with one day built: what the reader showed before the day was saved."""

    name = "live"
    prefetch = False

    def __init__(self, day: Day) -> None:
        self.day = day

    async def days(self) -> list[date]:
        return [self.day.date]

    async def load(self, day: date, *, refresh: bool = False, progress: object = None) -> DayLoad:
        return DayLoad(self.day)

    async def aclose(self) -> None:
        return None


async def seen(app: HotPapersApp, size: tuple[int, int]) -> list[tuple[str, str]]:
    """Each paper's row and its detail's words, as the reader shows them."""
    shown: list[tuple[str, str]] = []
    async with app.run_test(size=size) as pilot:
        screen = await settle(pilot)
        narrow = size[0] <= 80  # one pane at a time: enter shows the detail, escape the list again
        for row in range(len(screen.paper_list.papers)):
            listed = paper_rows(screen)[row]
            if narrow:
                await pilot.press("enter")
                await pilot.pause()
            shown.append((listed, detail_words(screen)))
            await pilot.press(*(("escape", "j") if narrow else ("j",)))
            await pilot.pause()
    return shown


@pytest.mark.parametrize("size", SIZES)
async def test_a_saved_live_day_reads_back_as_it_was_shown(size: tuple[int, int], tmp_path: Path) -> None:
    day = constructed_live_day()  # ranked by the live score, not by retweets + favorites
    live = await seen(HotPapersApp(OneLiveDay(day), read_policy=NO_MARKS), size)  # type: ignore[arg-type]
    save = HotPapersApp(OneLiveDay(day), read_policy=NO_MARKS, export_dir=tmp_path)  # type: ignore[arg-type]
    async with save.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("s", "enter")  # the save dialog offers the export folder; enter writes
        for _ in range(100):
            await pilot.pause()
            if (tmp_path / day.filename).exists():
                break
    assert (tmp_path / day.filename).exists()
    saved = await seen(HotPapersApp(FolderFeed(tmp_path, name="dir:saved"), read_policy=NO_MARKS), size)
    assert [row for row, _ in saved] == [row for row, _ in live]
    assert [words.split(" abs ")[0] for _, words in saved] == [words.split(" abs ")[0] for _, words in live]
    assert [row.split()[1:3] for row, _ in saved] == [["1", "137"], ["2", "60"], ["3", "42"]]
    assert "by source Hacker News 120 Bluesky 5 X 5 Hugging Face 7" in saved[0][1]
