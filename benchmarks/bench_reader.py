"""Reader speed: start to first full screen, and switching to a cached day, against a bare DataTable app.

Run: python benchmarks/bench_reader.py
Both apps run headless in this process on the same generated 40-paper days; the bare
app reads the same post file and shows its rows in a DataTable, nothing else: the
floor the reader cannot beat.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rich.text import Text  # noqa: E402
from textual.app import App, ComposeResult  # noqa: E402
from textual.widgets import DataTable  # noqa: E402

from hotpapers_tui.feeds import FolderFeed  # noqa: E402
from hotpapers_tui.model import Day  # noqa: E402
from hotpapers_tui.posts import read_post  # noqa: E402
from hotpapers_tui.ui.app import HotPapersApp  # noqa: E402
from hotpapers_tui.ui.screens.reader import ReaderScreen  # noqa: E402
from tests.ui.postgen import make_day, write_posts  # noqa: E402

PAPERS = 40
DAYS = 12
SIZE = (120, 40)
STARTS = 7
SWITCHES = 40


def rows(day: Day) -> list[list[Text]]:
    return [
        [Text(str(v)) for v in (n, p.score, p.retweets, p.favorites, p.title, p.primary_category, len(p.tweets))]
        for n, p in enumerate(day.papers, start=1)
    ]


class BareTable(App[None]):
    """A DataTable of one day's rows, loaded from the post file."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self.shown = False

    def compose(self) -> ComposeResult:
        yield DataTable(cursor_type="row")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("#", "score", "RT", "fav", "title", "category", "tw")
        self.show(read_post(self.path))

    def show(self, day: Day) -> None:
        table: DataTable[Text] = self.query_one(DataTable)
        table.clear()
        table.add_rows(rows(day))
        self.shown = True


async def start_reader(folder: Path) -> float:
    began = time.perf_counter()
    app = HotPapersApp(FolderFeed(folder))
    async with app.run_test(size=SIZE) as pilot:
        while not (isinstance(app.screen, ReaderScreen) and app.screen.current is not None):
            await pilot.pause()
        await pilot.pause()  # the frame that paints the day
        return time.perf_counter() - began


async def start_bare(path: Path) -> float:
    began = time.perf_counter()
    app = BareTable(path)
    async with app.run_test(size=SIZE) as pilot:
        while not app.shown:
            await pilot.pause()
        await pilot.pause()
        return time.perf_counter() - began


async def switch_reader(folder: Path, days: list[date]) -> tuple[list[float], list[float]]:
    """Per switch: the time until painted, and the time of the update alone (before the frame)."""
    app = HotPapersApp(FolderFeed(folder), start_date=days[0])
    times: list[float] = []
    updates: list[float] = []
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        while not (isinstance(screen, ReaderScreen) and screen.current is not None):
            await pilot.pause()
            screen = app.screen
        assert isinstance(screen, ReaderScreen)
        for day in days:  # every day in memory, as after browsing or prefetching
            screen.cache[day] = await screen.feed.load(day)
        for n in range(SWITCHES):
            began = time.perf_counter()
            screen.action_next_day() if (n // (DAYS - 1)) % 2 == 0 else screen.action_prev_day()
            updates.append(time.perf_counter() - began)
            await pilot.pause()
            times.append(time.perf_counter() - began)
            await app.workers.wait_for_complete()
    return times, updates


async def switch_bare(paths: list[Path]) -> tuple[list[float], list[float]]:
    app = BareTable(paths[0])
    loaded = [read_post(p) for p in paths]
    times: list[float] = []
    updates: list[float] = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for n in range(SWITCHES):
            began = time.perf_counter()
            app.show(loaded[(n + 1) % len(loaded)])
            updates.append(time.perf_counter() - began)
            await pilot.pause()
            times.append(time.perf_counter() - began)
    return times, updates


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        days = [date(2024, 1, 1) + timedelta(days=2 * i) for i in range(DAYS)]
        paths = write_posts(folder, [make_day(d, PAPERS) for d in days])
        await start_bare(paths[-1])  # warm imports and caches for both
        await start_reader(folder)
        reader_start = statistics.median([await start_reader(folder) for _ in range(STARTS)])
        bare_start = statistics.median([await start_bare(paths[-1]) for _ in range(STARTS)])
        reader_times, reader_updates = await switch_reader(folder, days)
        bare_times, bare_updates = await switch_bare(paths)
    reader_switch, bare_switch = statistics.median(reader_times), statistics.median(bare_times)
    reader_update, bare_update = statistics.median(reader_updates), statistics.median(bare_updates)
    print(f"{PAPERS}-paper day, {SIZE[0]}x{SIZE[1]}, headless, medians")
    for what, reader, bare, goal in (
        ("start to first full screen", reader_start, bare_start, "ratio goal <= 1.5x"),
        ("switch to a cached day", reader_switch, bare_switch, "until painted; goal <= 16 ms"),
        ("  of which the update", reader_update, bare_update, "before the frame is drawn"),
    ):
        print(
            f"{what:<27} reader {reader * 1000:7.1f} ms   bare DataTable {bare * 1000:7.1f} ms"
            f"   ratio {reader / bare:.2f}x ({goal})"
        )
    ms = 1000
    start_ratio = reader_start / bare_start
    start = f"{reader_start * ms:.0f} ms|{bare_start * ms:.0f} ms|{start_ratio:.2f}x"
    print(f"BENCH|reader start to first full screen|{start}|<= 1.5x")
    switch_ratio = reader_switch / bare_switch
    switch = f"{reader_switch * ms:.1f} ms|{bare_switch * ms:.1f} ms|{switch_ratio:.2f}x"
    print(f"BENCH|switch to a cached day, painted|{switch}|<= 16 ms")
    update_ratio = reader_update / bare_update
    print(
        f"BENCH|switch, the reader's update|{reader_update * ms:.1f} ms|{bare_update * ms:.1f} ms|{update_ratio:.2f}x|-"
    )


if __name__ == "__main__":
    asyncio.run(main())
