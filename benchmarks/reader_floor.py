"""The floor for the reader's benchmarks: a bare Textual app that shows the same rows through the line API.

Not a benchmark itself (``bench_reader.py`` runs it): it reads the same post files with the
same parser, draws one cached strip per paper (rank, score, title) under a one-line header,
and switches days with ``[`` and ``]``. Nothing else: no marks, no detail, no config.

    python benchmarks/reader_floor.py run FOLDER         # interactive, newest day first
    python benchmarks/reader_floor.py shot FOLDER OUT    # headless: write an SVG once the rows are shown
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Static

from hotpapers_tui.model import Day
from hotpapers_tui.posts import read_post


class BareList(ScrollView):
    """One strip per paper, rendered once per day and kept."""

    def __init__(self) -> None:
        super().__init__()
        self.strips: list[Strip] = []
        self.kept: dict[str, list[Strip]] = {}

    def show(self, day: Day) -> None:
        strips = self.kept.get(day.key)
        if strips is None:
            console = self.app.console
            strips = []
            for rank, paper in enumerate(day.papers, start=1):
                text = Text(f"{rank:>3} {paper.score:>5} {paper.title}", no_wrap=True, overflow="ellipsis")
                strips.append(Strip(text.render(console)))
            self.kept[day.key] = strips
        self.strips = strips
        size = Size(self.size.width, len(strips))
        if self.virtual_size != size:
            self.virtual_size = size
        self.refresh()

    def render_line(self, y: int) -> Strip:
        row = y + self.scroll_offset.y
        width = self.size.width
        if row < len(self.strips):
            return self.strips[row].crop_extend(0, width, self.rich_style)
        return Strip.blank(width, self.rich_style)


class BareReader(App[None]):
    """A header and the list of one day; ``[`` and ``]`` switch days."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left_square_bracket", "step(-1)", "Prev"),
        Binding("right_square_bracket", "step(1)", "Next"),
    ]
    CSS = "Static { height: 1; } BareList { height: 1fr; }"

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.paths = sorted(folder.glob("*---Hot-Papers.md"))
        self.index = len(self.paths) - 1
        self.days: dict[int, Day] = {}
        self.shown = False

    def compose(self) -> ComposeResult:
        yield Static()
        yield BareList()

    def on_mount(self) -> None:
        self.call_after_refresh(self.action_step, 0)

    def action_step(self, offset: int) -> None:
        self.index = max(0, min(len(self.paths) - 1, self.index + offset))
        day = self.days.get(self.index)
        if day is None:
            day = self.days[self.index] = read_post(self.paths[self.index])
        self.query_one(Static).update(f"bare  {day.date.isoformat()}  {len(day.papers)} papers", layout=False)
        self.query_one(BareList).show(day)
        self.shown = True


SETTLE_STEP = 0.005
"""Seconds between looks at whether the rows are shown: the same wait as ``hotpapers-tui screenshot``."""


async def shot(folder: Path, out: Path) -> None:
    app = BareReader(folder)
    async with app.run_test(size=(120, 40)) as pilot:
        while not app.shown:
            await pilot.pause(SETTLE_STEP)
        await pilot.pause(0)
        out.write_text(app.export_screenshot(), encoding="utf-8")


if __name__ == "__main__":
    mode, folder = sys.argv[1], Path(sys.argv[2])
    if mode == "shot":
        asyncio.run(shot(folder, Path(sys.argv[3])))
    else:
        BareReader(folder).run()
