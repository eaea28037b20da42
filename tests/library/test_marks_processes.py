"""Marks shared by real processes: a damaged file replaced once, and no saved mark lost, whatever the timing."""

from __future__ import annotations

import json
import multiprocessing
import os
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from hotpapers_tui.library.marks import KIND, SCHEMA, Marks
from hotpapers_tui.library.sqlitestore import FileLock, SQLiteStore, _move_aside
from tests.library.conftest import FIGURES

PROCESSES = 12
WRITES = 30
RUNS = 7
SLOW_RUNS = 40


def _worker(path: str, name: str, start: Any, out: str) -> None:
    """Open the marks and set one mark, WRITES times; record what reported success and what failed."""
    saved: list[str] = []
    failed: list[str] = []
    notices: list[str] = []
    start.wait()
    for n in range(WRITES):
        arxiv_id = f"{name}.{n:03d}"
        try:
            with Marks.open(Path(path)) as marks:
                if marks.notice:
                    notices.append(marks.notice)
                marks.set_read(arxiv_id)
        except Exception as exc:  # every failure is recorded and asserted on by the parent
            failed.append(f"{type(exc).__name__}: {exc}")
        else:
            saved.append(arxiv_id)
    Path(out).write_text(json.dumps({"saved": saved, "failed": failed, "notices": notices}))


def _junk(path: Path, run: int) -> bytes:
    """A file that is not a database at all."""
    data = os.urandom(4096) + f"run {run}: not a database".encode()
    path.write_bytes(data)
    return data


def _trampled(path: Path, run: int) -> bytes:
    """A real marks database written in WAL mode by an earlier version, with every page after the first trampled."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE marks (arxiv_id TEXT PRIMARY KEY, read INTEGER NOT NULL DEFAULT 0, read_at TEXT)")
    rows = [(f"old.{n:05d}" + "x" * 200,) for n in range(400)]
    conn.executemany("INSERT INTO marks (arxiv_id, read) VALUES (?, 1)", rows)
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = bytearray(path.read_bytes())
    data[4096:] = bytes([run % 256]) * (len(data) - 4096)
    path.write_bytes(bytes(data))
    return bytes(data)


def _one_run(folder: Path, run: int) -> dict[str, int]:
    folder.mkdir()
    path = folder / "marks.sqlite3"
    damaged = (_junk if run % 2 == 0 else _trampled)(path, run)
    ctx = multiprocessing.get_context("fork")
    start = ctx.Event()
    outs = [folder / f"result-{p}.json" for p in range(PROCESSES)]
    workers = [
        ctx.Process(target=_worker, args=(str(path), f"p{p:02d}", start, str(outs[p]))) for p in range(PROCESSES)
    ]
    for worker in workers:
        worker.start()
    start.set()
    for worker in workers:
        worker.join(timeout=120)
    assert all(w.exitcode == 0 for w in workers), [w.exitcode for w in workers]

    results = [json.loads(out.read_text()) for out in outs]
    saved = [arxiv_id for r in results for arxiv_id in r["saved"]]
    failed = [message for r in results for message in r["failed"]]
    notices = [notice for r in results for notice in r["notices"]]
    with Marks.open(path) as marks:
        live = marks.read_ids(saved)
        assert marks.notice == ""
    lost = sorted(set(saved) - live)
    assert lost == [], f"run {run}: {len(lost)} marks reported saved are not in the live database: {lost[:5]}"
    assert failed == [], f"run {run}: {len(failed)} writes failed: {sorted(set(failed))}"
    # Moved aside exactly once, by one process, and nothing was written into the damaged file after.
    [aside] = [p for p in folder.glob("marks.sqlite3.corrupt-*") if not p.name.endswith(("-wal", "-shm", "-journal"))]
    assert aside.read_bytes() == damaged
    assert len(notices) == 1 and aside.name in notices[0], notices
    return {"saved": len(saved), "lost": len(lost), "failed": len(failed)}


def _runs(tmp_path: Path, runs: int, label: str) -> None:
    totals = {"saved": 0, "lost": 0, "failed": 0}
    for run in range(runs):
        for key, value in _one_run(tmp_path / f"run-{run}", run).items():
            totals[key] += value
    assert totals["saved"] == runs * PROCESSES * WRITES
    FIGURES[label] = (
        f"{PROCESSES} processes x {runs} runs x {WRITES} open+set_read each on a damaged marks file: "
        f"{totals['saved']} writes reported saved, {totals['lost']} lost, {totals['failed']} failed"
    )


@pytest.mark.skipif(os.name != "posix", reason="fork and flock are POSIX")
def test_processes_opening_a_damaged_file_lose_no_saved_mark(tmp_path: Path) -> None:
    _runs(tmp_path, RUNS, "damaged marks, concurrent processes")


@pytest.mark.slow
@pytest.mark.skipif(os.name != "posix", reason="fork and flock are POSIX")
def test_processes_opening_a_damaged_file_lose_no_saved_mark_many_runs(tmp_path: Path) -> None:
    _runs(tmp_path, SLOW_RUNS, "damaged marks, concurrent processes (slow)")


def test_a_store_whose_file_was_moved_aside_writes_to_the_live_file(tmp_path: Path) -> None:
    """A process holding the old file when another moved it aside notices before writing."""
    path = tmp_path / "data" / "marks.sqlite3"
    holder = Marks.open(path)
    holder.set_read("2106.00001")
    # What another process does when it finds the file damaged: under the lock, rename it aside.
    lock = FileLock(path.with_name("marks.sqlite3.lock"), create=True)
    with lock.hold(exclusive=True):
        aside = _move_aside(path)
    lock.close()
    holder.set_read("2106.00002")
    assert holder.is_read("2106.00002")
    holder.close()
    with Marks.open(path) as live:
        assert live.read_ids(["2106.00001", "2106.00002"]) == {"2106.00002"}
    with Marks(SQLiteStore.open(aside, KIND, SCHEMA, readonly=True)) as old:
        assert old.read_ids(["2106.00001", "2106.00002"]) == {"2106.00001"}
