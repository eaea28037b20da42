"""Reader speed next to a bare line-API Textual app (benchmarks/reader_floor.py) measured in the same run.

Run: python benchmarks/bench_reader.py

- Start to the first full screen, as whole processes: ``hotpapers-tui screenshot`` against the
  floor writing the same SVG headlessly, and the first paint of the day's rows in a real
  terminal (tmux 120x40, polled with ``capture-pane``) against the floor started the same way.
- A day switch until painted in that terminal: ``]``/``[`` sent to tmux, timed until the new
  day's first row is on screen, for both apps switching between the same two days.
- CPU time per switch, headless, from the key's action to the end of the last frame it
  causes (frames are timed where the app hands them to the terminal, not by pilot.pause(),
  which waits in 20 ms slices), and the same for a read mark on one row.

Every day is a generated 40-paper post; both apps parse the same files with the same parser.
Without tmux the terminal figures are reported as skipped.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hotpapers_tui.feeds import FolderFeed  # noqa: E402
from hotpapers_tui.library.marks import ReadPolicy  # noqa: E402
from hotpapers_tui.ui.app import HotPapersApp  # noqa: E402
from hotpapers_tui.ui.screens.reader import ReaderScreen  # noqa: E402
from tests.ui.postgen import make_day, write_posts  # noqa: E402

PAPERS = 40
DAYS = 12
SIZE = (120, 40)
STARTS = 5
SWITCHES = 40
TERMINAL_SWITCHES = 16
NO_MARKS = ReadPolicy(after_shown=None, on_open=False)
FLOOR = [sys.executable, str(ROOT / "benchmarks" / "reader_floor.py")]
READER = [sys.executable, "-c", "from hotpapers_tui.cli import entry; entry()"]


class FrameClock:
    """Records the end of every frame an app hands to its terminal: (wall, CPU) seconds."""

    def __init__(self, app: Any) -> None:
        self.frames: list[tuple[float, float]] = []
        display = app._display

        def timed(screen: Any, renderable: Any) -> None:
            display(screen, renderable)
            if renderable is not None:
                self.frames.append((time.perf_counter(), time.process_time()))

        app._display = timed

    async def after(self, wall: float, cpu: float, quiet: float = 0.06) -> tuple[float, int]:
        """CPU seconds from ``cpu`` to the last frame after ``wall`` (once none came for ``quiet`` s), and frames."""
        while True:
            await asyncio.sleep(0.002)
            later = [f for f in self.frames if f[0] >= wall]
            if later and time.perf_counter() - later[-1][0] >= quiet:
                return later[-1][1] - cpu, len(later)
            if time.perf_counter() - wall > 5:
                raise RuntimeError("no frame after the action")


async def reader_cpu(folder: Path, days: list[date]) -> tuple[list[float], list[int], list[float]]:
    """CPU per switch between two loaded days, frames per switch, and CPU per read mark."""
    app = HotPapersApp(FolderFeed(folder), start_date=days[5], read_policy=NO_MARKS)
    clock = FrameClock(app)
    switches: list[float] = []
    frames: list[int] = []
    marks: list[float] = []
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        while not (isinstance(screen, ReaderScreen) and screen.current is not None and screen.marks is not None):
            await pilot.pause()
            screen = app.screen
        assert isinstance(screen, ReaderScreen)
        for day in days:  # every day in memory, as after browsing: no prefetch during the switches
            await screen.loader.load(day)
        await app.workers.wait_for_complete()
        for n in range(SWITCHES + 2):
            wall, cpu = time.perf_counter(), time.process_time()
            screen.action_next_day() if n % 2 == 0 else screen.action_prev_day()
            spent, count = await clock.after(wall, cpu)
            if n >= 2:  # the first visit of each day renders its rows once; the rest reuse them
                switches.append(spent)
                frames.append(count)
        for _ in range(SWITCHES // 2):
            wall, cpu = time.perf_counter(), time.process_time()
            screen.action_toggle_read()
            spent, _ = await clock.after(wall, cpu)
            marks.append(spent)
            await pilot.pause()
    return switches, frames, marks


async def floor_cpu(folder: Path) -> tuple[list[float], list[int], list[float]]:
    """The same for the floor: switches between two days, and one row refreshed."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from reader_floor import BareList, BareReader

    app = BareReader(folder)
    app.index = 6
    clock = FrameClock(app)
    switches: list[float] = []
    frames: list[int] = []
    rows: list[float] = []
    async with app.run_test(size=SIZE) as pilot:
        while not app.shown:
            await pilot.pause()
        await pilot.pause()
        for n in range(SWITCHES + 2):
            wall, cpu = time.perf_counter(), time.process_time()
            app.action_step(1 if n % 2 == 0 else -1)
            spent, count = await clock.after(wall, cpu)
            if n >= 2:
                switches.append(spent)
                frames.append(count)
        bare = app.query_one(BareList)
        for _ in range(SWITCHES // 2):
            wall, cpu = time.perf_counter(), time.process_time()
            bare.refresh_line(0)
            spent, _ = await clock.after(wall, cpu)
            rows.append(spent)
    return switches, frames, rows


def timed_process(argv: list[str], env: dict[str, str]) -> float:
    began = time.perf_counter()
    subprocess.run(argv, check=True, env=env, capture_output=True, cwd=ROOT)
    return time.perf_counter() - began


class Tmux:
    """One app in a detached tmux session of the benchmark's size, read with capture-pane."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str]) -> None:
        self.name = name
        self.argv = argv
        self.env = env

    def start(self) -> float:
        """Start the app; returns the perf_counter time it was asked to start."""
        command = " ".join(f"'{a}'" for a in self.argv)
        began = time.perf_counter()
        subprocess.run(
            ["tmux", "new-session", "-d", "-s", self.name, "-x", str(SIZE[0]), "-y", str(SIZE[1]), command],
            check=True,
            env=self.env,
        )
        return began

    def screen(self) -> str:
        done = subprocess.run(["tmux", "capture-pane", "-p", "-t", self.name], capture_output=True, text=True)
        return done.stdout

    def wait_for(self, text: str, since: float, limit: float = 20.0) -> float:
        """Seconds from ``since`` until ``text`` is on screen, polling as fast as tmux answers."""
        while True:
            if text in self.screen():
                return time.perf_counter() - since
            if time.perf_counter() - since > limit:
                raise RuntimeError(f"{self.name}: {text!r} never appeared")

    def key(self, key: str) -> float:
        began = time.perf_counter()
        subprocess.run(["tmux", "send-keys", "-t", self.name, key], check=True)
        return began

    def stop(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)


def title(day: date) -> str:
    return f"Synthetic paper 1 of {day.isoformat()}"


def terminal_figures(folder: Path, days: list[date], env: dict[str, str]) -> dict[str, list[float]]:
    """First paint after start, and key to paint of a day switch, for both apps in tmux."""
    figures: dict[str, list[float]] = {"reader start": [], "floor start": [], "reader switch": [], "floor switch": []}
    newest, before = days[-1], days[-2]
    apps = {
        "reader": [*READER, f"--feed=dir:{folder}"],
        "floor": [*FLOOR, "run", str(folder)],
    }
    for n in range(STARTS):
        for who, argv in apps.items():
            tmux = Tmux(f"bench-{who}-{os.getpid()}-{n}", argv, env)
            try:
                began = tmux.start()
                figures[f"{who} start"].append(tmux.wait_for(title(newest), began))
                if n == 0:
                    tmux.wait_for(title(newest), began)
                    for k in range(TERMINAL_SWITCHES):
                        going_back = k % 2 == 0
                        target = before if going_back else newest
                        sent = tmux.key("[" if going_back else "]")
                        seconds = tmux.wait_for(title(target), sent)
                        if k >= 2:  # both days seen once: the rest are switches between loaded days
                            figures[f"{who} switch"].append(seconds)
            finally:
                tmux.stop()
    return figures


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def bench_line(figure: str, ours: float, floor: float, goal: str, floor_name: str = "") -> None:
    print(f"BENCH|{figure}|{ms(ours)}|{ms(floor)}{floor_name}|{ours / floor:.2f}x|{goal}")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        folder = home / "posts"
        days = [date(2024, 1, 1) + timedelta(days=2 * i) for i in range(DAYS)]
        write_posts(folder, [make_day(d, PAPERS) for d in days])
        env = {
            **os.environ,
            "HOTPAPERS_CONFIG": str(home / "config.toml"),
            "HOTPAPERS_CACHE_DIR": str(home / "cache"),
            "HOTPAPERS_DATA_DIR": str(home / "data"),
            "PYTHONPATH": str(ROOT),
        }
        os.environ.update({k: env[k] for k in ("HOTPAPERS_CONFIG", "HOTPAPERS_CACHE_DIR", "HOTPAPERS_DATA_DIR")})
        shot = home / "shot.svg"
        ours_shot = [*READER, "screenshot", f"--feed=dir:{folder}", "-o", str(shot), "--force"]
        floor_shot = [*FLOOR, "shot", str(folder), str(shot)]
        timed_process(ours_shot, env)  # warm the file cache and the bytecode for both
        timed_process(floor_shot, env)
        reader_shots, floor_shots = [], []
        for _ in range(STARTS):
            reader_shots.append(timed_process(ours_shot, env))
            floor_shots.append(timed_process(floor_shot, env))
        switches, frames, marks = asyncio.run(reader_cpu(folder, days))
        floor_switches, floor_frames, floor_rows = asyncio.run(floor_cpu(folder))
        terminal = terminal_figures(folder, days, env) if shutil.which("tmux") else {}

    med = statistics.median
    print(f"{PAPERS}-paper days, {SIZE[0]}x{SIZE[1]}, medians; floor: a bare line-API Textual app")
    print(f"  frames per switch: reader {med(frames):g}, floor {med(floor_frames):g}")
    bench_line(
        "start to first full screen, headless screenshot process", med(reader_shots), med(floor_shots), "<= 1.5x"
    )
    if terminal:
        start, floor_start = med(terminal["reader start"]), med(terminal["floor start"])
        bench_line("start to first paint in tmux 120x40", start, floor_start, "<= 1.5x")
        switch, floor_switch = med(terminal["reader switch"]), med(terminal["floor switch"])
        bench_line("day switch, key to paint in tmux 120x40", switch, floor_switch, "<= 2x")
    else:
        print("BENCH|start to first paint in tmux 120x40|skipped: no tmux|-|-|<= 1.5x")
        print("BENCH|day switch, key to paint in tmux 120x40|skipped: no tmux|-|-|<= 2x")
    bench_line("day switch, CPU per switch headless", med(switches), med(floor_switches), "<= 16 ms")
    bench_line("read mark on one row, CPU headless", med(marks), med(floor_rows), "< 5 ms", " (one row redrawn)")


if __name__ == "__main__":
    main()
