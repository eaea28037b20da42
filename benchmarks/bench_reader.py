"""Reader speed next to a bare line-API Textual app (benchmarks/reader_floor.py) measured in the same run.

Run: python benchmarks/bench_reader.py [--quick]

- Start to the first full screen, as whole processes: ``hotpapers-tui screenshot`` against the
  floor writing the same SVG headlessly, and the first paint of the day's rows in a real
  terminal (tmux 120x40, polled with ``capture-pane``) against the floor started the same way.
- A day switch until painted in that terminal: ``]``/``[`` sent to tmux, timed until the new
  day's first row is on screen, for both apps switching between the same two days.
- CPU time per switch, headless, from the key's action to the end of the last frame it
  causes (frames are timed where the app hands them to the terminal, not by pilot.pause(),
  which waits in 20 ms slices), and the same for a read mark on one row.

The machine is shared, so every figure is a median of many runs with the reader's and the
floor's runs interleaved (reader, floor, floor, reader, ...: neither always goes first), and
each line shows the spread (min / median / p90 and how many runs). Every day is a generated
40-paper post; both apps parse the same files with the same parser, at the same size, in the
same Textual. Both run with compiled bytecode, as an installed package has it (pip compiles
it at install): the first run of each writes it into a private cache folder.

The terminal runs in a private tmux server (``tmux -L NAME``) started once for the whole
benchmark and killed at its end, so no other tmux user (and no server exiting between two
sessions) can disturb it. Without tmux the terminal figures are reported as skipped.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from reader_floor import BareList, BareReader  # noqa: E402

from hotpapers_tui.feeds import FolderFeed  # noqa: E402
from hotpapers_tui.library.marks import ReadPolicy  # noqa: E402
from hotpapers_tui.ui.app import HotPapersApp  # noqa: E402
from hotpapers_tui.ui.screens.reader import ReaderScreen  # noqa: E402
from tests.ui.postgen import make_day, write_posts  # noqa: E402

PAPERS = 40
DAYS = 12
SIZE = (120, 40)
NO_MARKS = ReadPolicy(after_shown=None, on_open=False)
FLOOR = [sys.executable, str(ROOT / "benchmarks" / "reader_floor.py")]
READER = [sys.executable, "-c", "from hotpapers_tui.cli import entry; entry()"]


@dataclass(frozen=True)
class Plan:
    """How many runs of each kind; ``--quick`` trades precision for time."""

    shots: int = 9
    """Headless screenshot processes per app."""
    starts: int = 9
    """Starts in tmux per app."""
    switches: int = 24
    """Day switches per app in tmux (after both days were seen once)."""
    cpu_rounds: int = 3
    """Headless apps per kind for the CPU figures (interleaved)."""
    cpu_switches: int = 30
    """Switches (and read marks) timed in each headless app."""


QUICK = Plan(shots=3, starts=3, switches=8, cpu_rounds=1, cpu_switches=12)


@dataclass
class Samples:
    """One figure's runs, for the reader and for the floor, in seconds."""

    reader: list[float] = field(default_factory=list)
    floor: list[float] = field(default_factory=list)

    def add(self, who: str, seconds: float) -> None:
        (self.reader if who == "reader" else self.floor).append(seconds)


def interleaved(rounds: int) -> Iterator[tuple[int, str]]:
    """``(round, who)`` for ``rounds`` rounds: reader first in even rounds, floor first in odd ones (ABBA...)."""
    for n in range(rounds):
        for who in ("reader", "floor") if n % 2 == 0 else ("floor", "reader"):
            yield n, who


def p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]


def spread(values: list[float]) -> str:
    """``median (min-p90, n=N)`` in milliseconds."""
    med = statistics.median(values)
    return f"{med * 1000:.1f} ms (min {min(values) * 1000:.1f}, p90 {p90(values) * 1000:.1f}, n={len(values)})"


def bench_line(figure: str, samples: Samples, goal: str, floor_name: str = "") -> None:
    ours, floor = statistics.median(samples.reader), statistics.median(samples.floor)
    print(f"BENCH|{figure}|{spread(samples.reader)}|{spread(samples.floor)}{floor_name}|{ours / floor:.2f}x|{goal}")


# -- frames, timed where the app hands them to its terminal ----------------------


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


@dataclass
class CpuFigures:
    switches: Samples = field(default_factory=Samples)
    frames: Samples = field(default_factory=Samples)
    marks: Samples = field(default_factory=Samples)


async def reader_cpu(folder: Path, days: list[date], plan: Plan, out: CpuFigures) -> None:
    """CPU per switch between two loaded days, frames per switch, and CPU per read mark."""
    app = HotPapersApp(FolderFeed(folder), start_date=days[5], read_policy=NO_MARKS)
    clock = FrameClock(app)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        while not (isinstance(screen, ReaderScreen) and screen.current is not None and screen.marks is not None):
            await pilot.pause()
            screen = app.screen
        assert isinstance(screen, ReaderScreen)
        for day in days:  # every day in memory, as after browsing: no prefetch during the switches
            await screen.loader.load(day)
        await app.workers.wait_for_complete()
        for n in range(plan.cpu_switches + 2):
            wall, cpu = time.perf_counter(), time.process_time()
            screen.action_next_day() if n % 2 == 0 else screen.action_prev_day()
            spent, count = await clock.after(wall, cpu)
            if n >= 2:  # the first visit of each day renders its rows once; the rest reuse them
                out.switches.add("reader", spent)
                out.frames.add("reader", count)
        for _ in range(plan.cpu_switches):
            wall, cpu = time.perf_counter(), time.process_time()
            screen.action_toggle_read()
            # The mark's write counts too when it runs in a thread: the later of its end and the last frame.
            await app.workers.wait_for_complete()
            store = getattr(screen, "store", None)
            if store is not None:  # the marks' own writer thread
                await asyncio.wrap_future(store.submit(lambda marks: None))
            written = time.process_time() - cpu
            spent, _ = await clock.after(wall, cpu)
            out.marks.add("reader", max(spent, written))
            await pilot.pause()


async def floor_cpu(folder: Path, plan: Plan, out: CpuFigures) -> None:
    """The same for the floor: switches between the same two days, and one row refreshed."""
    app = BareReader(folder)
    app.index = 6  # days[5] and days[6], as the reader switches
    clock = FrameClock(app)
    async with app.run_test(size=SIZE) as pilot:
        while not app.shown:
            await pilot.pause()
        await pilot.pause()
        for n in range(plan.cpu_switches + 2):
            wall, cpu = time.perf_counter(), time.process_time()
            app.action_step(-1 if n % 2 == 0 else 1)
            spent, count = await clock.after(wall, cpu)
            if n >= 2:
                out.switches.add("floor", spent)
                out.frames.add("floor", count)
        bare = app.query_one(BareList)
        for _ in range(plan.cpu_switches):
            wall, cpu = time.perf_counter(), time.process_time()
            bare.refresh_line(0)
            spent, _ = await clock.after(wall, cpu)
            out.marks.add("floor", spent)
            await pilot.pause()


def cpu_figures(folder: Path, days: list[date], plan: Plan) -> CpuFigures:
    out = CpuFigures()
    for _, who in interleaved(plan.cpu_rounds):
        if who == "reader":
            asyncio.run(reader_cpu(folder, days, plan, out))
        else:
            asyncio.run(floor_cpu(folder, plan, out))
    return out


# -- whole processes ------------------------------------------------------------


def timed_process(argv: list[str], env: dict[str, str]) -> float:
    began = time.perf_counter()
    subprocess.run(argv, check=True, env=env, capture_output=True, cwd=ROOT)
    return time.perf_counter() - began


class TmuxServer:
    """A private tmux server (its own socket), kept alive for the whole benchmark by a session of its own."""

    def __init__(self, env: dict[str, str]) -> None:
        self.socket = f"hotpapers-bench-{os.getpid()}"
        self.env = env

    def tmux(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        # -f /dev/null: no user configuration changes the terminal the apps see.
        return subprocess.run(
            ["tmux", "-L", self.socket, "-f", "/dev/null", *args],
            check=check,
            capture_output=True,
            text=True,
            env=self.env,
        )

    def start(self) -> None:
        # The server takes its environment from the client that starts it: the apps' sessions inherit it.
        self.tmux("new-session", "-d", "-s", "keepalive", "-x", str(SIZE[0]), "-y", str(SIZE[1]), "sleep 100000")
        self.tmux("set-option", "-g", "exit-empty", "off")
        self.tmux("set-option", "-g", "remain-on-exit", "on")  # a crash stays readable on screen

    def stop(self) -> None:
        self.tmux("kill-server", check=False)

    @contextmanager
    def running(self) -> Iterator[TmuxServer]:
        self.start()
        try:
            yield self
        finally:
            self.stop()


class Pane:
    """One app in a session of the private server, read with capture-pane."""

    def __init__(self, server: TmuxServer, name: str, argv: list[str]) -> None:
        self.server = server
        self.name = name
        self.argv = argv

    def start(self) -> float:
        """Start the app; returns the perf_counter time it was asked to start."""
        began = time.perf_counter()
        self.server.tmux(
            "new-session", "-d", "-s", self.name, "-x", str(SIZE[0]), "-y", str(SIZE[1]), shlex.join(self.argv)
        )
        return began

    def screen(self) -> str:
        return self.server.tmux("capture-pane", "-p", "-t", self.name, check=False).stdout

    def wait_for(self, text: str, since: float, limit: float = 20.0) -> float:
        """Seconds from ``since`` until ``text`` is on screen, polling as fast as tmux answers."""
        while True:
            shown = self.screen()
            if text in shown:
                return time.perf_counter() - since
            if time.perf_counter() - since > limit:
                raise RuntimeError(f"{self.name}: {text!r} never appeared; the screen:\n{shown}")

    def key(self, key: str) -> float:
        began = time.perf_counter()
        self.server.tmux("send-keys", "-t", self.name, key)
        return began

    def stop(self) -> None:
        self.server.tmux("kill-session", "-t", self.name, check=False)


def title(day: date) -> str:
    return f"Synthetic paper 1 of {day.isoformat()}"


def terminal_figures(folder: Path, days: list[date], env: dict[str, str], plan: Plan) -> dict[str, Samples]:
    """First paint after start, and key to paint of a day switch, for both apps in tmux, interleaved."""
    starts, switches = Samples(), Samples()
    newest, before = days[-1], days[-2]
    apps = {"reader": [*READER, f"--feed=dir:{folder}"], "floor": [*FLOOR, "run", str(folder)]}
    with TmuxServer(env).running() as server:
        for n, who in interleaved(plan.starts):
            pane = Pane(server, f"{who}-start-{n}", apps[who])
            try:
                starts.add(who, pane.wait_for(title(newest), pane.start()))
            finally:
                pane.stop()
        # Both apps open at once, each switch of one followed by a switch of the other.
        panes = {who: Pane(server, f"{who}-switch", argv) for who, argv in apps.items()}
        try:
            for pane in panes.values():
                pane.wait_for(title(newest), pane.start())
            for k in range(plan.switches + 2):
                going_back = k % 2 == 0
                target = before if going_back else newest
                for who in ("reader", "floor") if k % 4 < 2 else ("floor", "reader"):
                    pane = panes[who]
                    seconds = pane.wait_for(title(target), pane.key("[" if going_back else "]"))
                    if k >= 2:  # both days seen once: the rest are switches between loaded days
                        switches.add(who, seconds)
        finally:
            for pane in panes.values():
                pane.stop()
    return {"start": starts, "switch": switches}


def headless_figures(folder: Path, shot: Path, env: dict[str, str], plan: Plan) -> Samples:
    ours = [*READER, "screenshot", f"--feed=dir:{folder}", "-o", str(shot), "--force"]
    floor = [*FLOOR, "shot", str(folder), str(shot)]
    argv = {"reader": ours, "floor": floor}
    for who in ("reader", "floor"):  # warm the file cache, and write each one's bytecode
        timed_process(argv[who], env)
    samples = Samples()
    for _, who in interleaved(plan.shots):
        samples.add(who, timed_process(argv[who], env))
    return samples


def bench_env(home: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "HOTPAPERS_CONFIG": str(home / "config.toml"),
        "HOTPAPERS_CACHE_DIR": str(home / "cache"),
        "HOTPAPERS_DATA_DIR": str(home / "data"),
        "PYTHONPATH": str(ROOT),
        # Bytecode as an installed package has it, in a folder of the benchmark's own.
        "PYTHONPYCACHEPREFIX": str(home / "pycache"),
    }
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def timed_step(name: str, step: Callable[[], Any]) -> Any:
    began = time.perf_counter()
    result = step()
    print(f"  {name}: {time.perf_counter() - began:.1f} s", file=sys.stderr)
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs: a rough figure in a few seconds")
    args = parser.parse_args(argv)
    plan = QUICK if args.quick else Plan()
    with tempfile.TemporaryDirectory(prefix="hotpapers-bench-") as tmp:
        home = Path(tmp)
        folder = home / "posts"
        days = [date(2024, 1, 1) + timedelta(days=2 * i) for i in range(DAYS)]
        write_posts(folder, [make_day(d, PAPERS) for d in days])
        env = bench_env(home)
        os.environ.update({k: env[k] for k in ("HOTPAPERS_CONFIG", "HOTPAPERS_CACHE_DIR", "HOTPAPERS_DATA_DIR")})
        shots = timed_step("headless starts", lambda: headless_figures(folder, home / "shot.svg", env, plan))
        cpu = timed_step("headless CPU", lambda: cpu_figures(folder, days, plan))
        terminal = timed_step("tmux", lambda: terminal_figures(folder, days, env, plan)) if shutil.which("tmux") else {}

    med = statistics.median
    print(f"{PAPERS}-paper days, {SIZE[0]}x{SIZE[1]}; floor: a bare line-API Textual app; runs interleaved")
    print(f"  frames per switch: reader {med(cpu.frames.reader):g}, floor {med(cpu.frames.floor):g}")
    bench_line("start to first full screen, headless screenshot process", shots, "<= 1.5x")
    if terminal:
        bench_line("start to first paint in tmux 120x40", terminal["start"], "<= 1.5x")
        bench_line("day switch, key to paint in tmux 120x40", terminal["switch"], "<= 2x")
    else:
        print("BENCH|start to first paint in tmux 120x40|skipped: no tmux|-|-|<= 1.5x")
        print("BENCH|day switch, key to paint in tmux 120x40|skipped: no tmux|-|-|<= 2x")
    bench_line("day switch, CPU per switch headless", cpu.switches, "<= 16 ms median")
    bench_line("read mark on one row, CPU headless", cpu.marks, "< 5 ms median", " (one row redrawn)")


if __name__ == "__main__":
    main()
