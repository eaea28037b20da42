"""Measures the start of a command on the live and timeline feeds against the same command on the sample feed.

The sample feed needs no network layer and no credentials: it is the floor. Opening the
live or timeline feed must not ask the system keyring (finding a backend costs a
noticeable part of a second): the keyring is asked when a build first needs a
credential, and the script fails if a command loaded it. The rest of the gap to the
floor is the network layer and the live sources, imported to list the live days. Each
command runs in a fresh interpreter, offline, with one live day kept in a private cache
folder; runs alternate so that load on the machine falls on all alike.

Run: python benchmarks/bench_start.py  (prints BENCH| lines, see benchmarks/README.md)
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

from hotpapers_tui.live.daystore import LiveDayStore
from hotpapers_tui.live.feed import DAYS_FOLDER
from hotpapers_tui.model import Day

RUNS = 15
KEPT = date(2026, 11, 24)
PROBE = (
    "import json, sys, time\n"
    "started = time.perf_counter()\n"
    "from hotpapers_tui.cli import main\n"
    "status = main(sys.argv[1:])\n"
    "print(json.dumps([status, time.perf_counter() - started, 'keyring' in sys.modules]), file=sys.stderr)\n"
)


def run(argv: list[str], env: dict[str, str]) -> tuple[float, float, bool]:
    """Wall time of the whole process, time inside it from the first import, and whether keyring was loaded."""
    began = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", PROBE, *argv], capture_output=True, text=True, env=env, timeout=60)
    wall = time.perf_counter() - began
    status, inside, keyring_loaded = json.loads(done.stderr.strip().splitlines()[-1])
    if status != 0:
        raise SystemExit(f"{' '.join(argv)} exited {status}: {done.stderr[-500:]}")
    return wall, inside, keyring_loaded


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-start-") as home:
        env = {
            **os.environ,
            "HOTPAPERS_CONFIG": str(Path(home) / "config.toml"),
            "HOTPAPERS_CACHE_DIR": str(Path(home) / "cache"),
            "HOTPAPERS_DATA_DIR": str(Path(home) / "data"),
        }
        for name in ("HOTPAPERS_BLUESKY_HANDLE", "HOTPAPERS_BLUESKY_APP_PASSWORD", "HOTPAPERS_X_BEARER_TOKEN"):
            env.pop(name, None)  # credentials from the environment would spare the keyring anyway
        kept = Day(date=KEPT, title=f"Hot Papers {KEPT.isoformat()}", generated_at=datetime(2026, 11, 26, 12))
        LiveDayStore(Path(home) / "cache" / DAYS_FOLDER).put(kept, datetime(2026, 11, 27, tzinfo=UTC))
        commands = {
            "live": ["--offline", "days", "--feed", "live"],
            "timeline": ["--offline", "days", "--feed", "timeline"],
            "sample": ["--offline", "days", "--feed", "sample"],
        }
        walls: dict[str, list[float]] = {name: [] for name in commands}
        keyring_loaded: set[str] = set()
        for _ in range(RUNS):
            for name, argv in commands.items():
                wall, _, loaded = run(argv, env)
                walls[name].append(wall)
                if loaded:
                    keyring_loaded.add(name)
    floor = statistics.median(walls["sample"])
    for name in ("live", "timeline"):
        ours = statistics.median(walls[name])
        said = "keyring loaded" if name in keyring_loaded else "keyring not loaded"
        print(
            f"BENCH|'--offline days --feed {name}' start to exit ({said}; median of {RUNS})|{ours:.3f} s|"
            f"{floor:.3f} s ('--feed sample')|{ours / floor:.2f}x|keyring not loaded"
        )
    if keyring_loaded:
        raise SystemExit(f"the keyring was loaded by: {', '.join(sorted(keyring_loaded))}")


if __name__ == "__main__":
    main()
