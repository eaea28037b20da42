"""Runs every benchmarks/bench_*.py and writes their figures as a Markdown table to benchmarks/RESULTS.md.

Usage: python benchmarks/run_all.py [--timeout SECONDS] [--output PATH] [NAME ...]

Each benchmark runs in its own interpreter with a time limit and reports its figures
on standard output as lines ``BENCH|figure|this project|floor or baseline|ratio|goal``.
A benchmark that fails, times out or prints no such line gets a row saying so, and the
exit status is then 1.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
PREFIX = "BENCH|"
COLUMNS = ("benchmark", "figure", "this project", "floor or baseline", "ratio", "goal")


@dataclass(frozen=True)
class Row:
    """One line of the results table."""

    benchmark: str
    figure: str
    value: str = ""
    baseline: str = ""
    ratio: str = ""
    goal: str = ""
    failed: bool = False

    def cells(self) -> tuple[str, ...]:
        return (self.benchmark, self.figure, self.value, self.baseline, self.ratio, self.goal)


def parse_output(benchmark: str, stdout: str) -> list[Row]:
    """The rows of a benchmark's ``BENCH|`` lines; other output is ignored."""
    rows = []
    for line in stdout.splitlines():
        if not line.startswith(PREFIX):
            continue
        fields = [f.strip() for f in line[len(PREFIX) :].split("|")]
        if len(fields) != 5:
            rows.append(Row(benchmark, f"malformed BENCH line: {line[:80]}", failed=True))
            continue
        figure, value, baseline, ratio, goal = fields
        rows.append(Row(benchmark, figure, value, baseline, ratio, goal))
    return rows


def run_benchmark(path: Path, timeout: float) -> tuple[list[Row], float]:
    """Run one benchmark file; returns its rows (or one failure row) and the seconds it took."""
    name = path.stem
    start = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, str(path)],
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=path.parent.parent,
            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        )
    except subprocess.TimeoutExpired:
        return [Row(name, f"timed out after {timeout:g} s", failed=True)], time.perf_counter() - start
    took = time.perf_counter() - start
    rows = parse_output(name, done.stdout)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no error output"])[-1]
        rows.append(Row(name, f"failed: exit status {done.returncode} ({last[:100]})", failed=True))
    elif not rows:
        rows.append(Row(name, "printed no BENCH| line", failed=True))
    return rows, took


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("model name"):
                return line.partition(":")[2].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown"


def machine() -> list[str]:
    """Facts about the machine the figures were measured on."""
    return [
        f"- CPU: {cpu_model()}",
        f"- cores: {os.cpu_count() or 'unknown'}",
        f"- Python: {platform.python_version()} ({platform.python_implementation()})",
        f"- OS: {platform.platform()}",
    ]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render(rows: list[Row], when: dt.datetime, seconds: float) -> str:
    """The results page: the table, then the machine."""
    lines = [
        "# Benchmark results",
        "",
        f"Written by `python benchmarks/run_all.py` on {when:%Y-%m-%d %H:%M} UTC in {seconds:.1f} s.",
        "",
        "| " + " | ".join(COLUMNS) + " |",
        "|" + "---|" * len(COLUMNS),
    ]
    lines += ["| " + " | ".join(_cell(c) for c in row.cells()) + " |" for row in rows]
    if not rows:
        lines.append("| (no benchmarks found) |" + " |" * (len(COLUMNS) - 1))
    lines += ["", "## Machine", "", *machine(), ""]
    return "\n".join(lines)


def find_benchmarks(folder: Path, names: list[str]) -> list[Path]:
    found = sorted(folder.glob("bench_*.py"))
    if names:
        found = [p for p in found if p.stem in names or p.name in names or p.stem.removeprefix("bench_") in names]
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run every benchmark and write a Markdown table of the figures.")
    parser.add_argument("names", nargs="*", help="only these benchmarks (bench_x.py, bench_x or x)")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds each benchmark may take (default 120)")
    parser.add_argument("--output", type=Path, default=HERE / "RESULTS.md", help="where to write the table")
    parser.add_argument("--dir", type=Path, default=HERE, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    rows: list[Row] = []
    for path in find_benchmarks(args.dir, args.names):
        print(f"running {path.name} ...", file=sys.stderr, flush=True)
        found, took = run_benchmark(path, args.timeout)
        print(f"  {len(found)} figure(s) in {took:.1f} s", file=sys.stderr)
        rows += found
    page = render(rows, dt.datetime.now(dt.UTC), time.perf_counter() - start)
    args.output.write_text(page, encoding="utf-8")
    print(page)
    print(f"wrote {args.output}", file=sys.stderr)
    return 1 if any(r.failed for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
