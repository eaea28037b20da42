"""benchmarks/run_all.py: collects BENCH| lines, reports failing benchmarks as rows, describes the machine."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

RUN_ALL = Path(__file__).resolve().parents[2] / "benchmarks" / "run_all.py"


@pytest.fixture(scope="module")
def run_all() -> ModuleType:
    spec = importlib.util.spec_from_file_location("run_all", RUN_ALL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["run_all"] = module
    spec.loader.exec_module(module)
    return module


def _bench(folder: Path, name: str, body: str) -> None:
    (folder / f"bench_{name}.py").write_text(body, encoding="utf-8")


def test_table_has_figures_failures_and_machine(run_all: ModuleType, tmp_path: Path) -> None:
    benches = tmp_path / "benchmarks"
    benches.mkdir()
    _bench(benches, "good", 'print("warming up")\nprint("BENCH|cold start|0.41 s|0.30 s (bare textual)|1.4x|< 2x")\n')
    _bench(benches, "pipes", 'print("BENCH|a|b|c|d|e|f")\n')
    _bench(benches, "crash", 'import sys\nprint("BENCH|half|1 ms|2 ms|0.5x|< 1x")\nsys.exit("it broke")\n')
    _bench(benches, "silent", 'print("no figures here")\n')
    _bench(benches, "slow", "import time\ntime.sleep(30)\n")
    (benches / "helper.py").write_text("raise SystemExit(9)\n", encoding="utf-8")
    out = tmp_path / "RESULTS.md"

    status = run_all.main(["--dir", str(benches), "--output", str(out), "--timeout", "2"])

    assert status == 1
    page = out.read_text(encoding="utf-8")
    assert "| benchmark | figure | this project | floor or baseline | ratio | goal |" in page
    assert "| bench_good | cold start | 0.41 s | 0.30 s (bare textual) | 1.4x | < 2x |" in page
    assert "| bench_crash | half | 1 ms | 2 ms | 0.5x | < 1x |" in page
    assert "| bench_crash | failed: exit status 1 (it broke) |" in page
    assert "| bench_silent | printed no BENCH\\| line |" in page
    assert "| bench_slow | timed out after 2 s |" in page
    assert "bench_pipes | malformed BENCH line" in page
    assert "helper" not in page
    assert "## Machine" in page
    assert "- cores: " in page
    assert "- Python: 3." in page


def test_all_passing_exits_zero_and_names_filter(run_all: ModuleType, tmp_path: Path) -> None:
    _bench(tmp_path, "one", 'print("BENCH|x|1 ms|2 ms|0.5x|< 1x")\n')
    _bench(tmp_path, "two", "raise SystemExit(3)\n")
    out = tmp_path / "R.md"
    assert run_all.main(["one", "--dir", str(tmp_path), "--output", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert "bench_one" in page
    assert "bench_two" not in page
