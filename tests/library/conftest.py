"""Fixtures for the reading-list tests: papers and days built in code, data folders in tmp_path."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from hotpapers_tui.model import Day, Paper

COUNTED = dt.datetime(2021, 6, 23, 10, 0, 0)


def make_paper(
    arxiv_id: str,
    title: str = "A Paper",
    *,
    authors: tuple[str, ...] = ("Ada Lovelace",),
    categories: tuple[str, ...] = ("cs.LG",),
    abstract: str = "We study things.",
    retweets: int = 10,
    favorites: int = 5,
) -> Paper:
    return Paper(
        arxiv_id=arxiv_id,
        title=title,
        authors=authors,
        retweets=retweets,
        favorites=favorites,
        counted_at=COUNTED,
        abs_url=f"https://arxiv.org/abs/{arxiv_id}",
        pdf_url=f"https://arxiv.org/pdf/{arxiv_id}",
        categories=categories,
        abstract=abstract,
    )


def make_day(when: dt.date | str, *papers: Paper) -> Day:
    date = dt.date.fromisoformat(when) if isinstance(when, str) else when
    return Day(
        date=date,
        title=f"Hot Papers {date.isoformat()}",
        generated_at=dt.datetime.combine(date, dt.time(12, 0)),
        papers=papers,
    )


@pytest.fixture(autouse=True)
def private_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own data and cache folders, never the user's."""
    monkeypatch.setenv("HOTPAPERS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("HOTPAPERS_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path


FIGURES: dict[str, str] = {}
"""Figures a test measured (e.g. writes saved and lost across processes), printed after the run."""


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if FIGURES:
        terminalreporter.section("reading-list figures")
        for name, text in FIGURES.items():
            terminalreporter.write_line(f"{name}: {text}")


NOBODY = 65534


@pytest.fixture
def shared_tmp() -> Iterator[Path]:
    """A folder another user can reach (tmp_path's parents are private), removed after the test."""
    folder = Path(tempfile.mkdtemp(prefix="hotpapers-test-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        for root, dirs, _files in os.walk(folder):
            for name in dirs:
                os.chmod(os.path.join(root, name), 0o700)
        shutil.rmtree(folder)


def in_unprivileged_child(work: Callable[[], Any]) -> Any:
    """Run ``work`` in a forked child that file permissions apply to, and return its (JSON) result.

    As root permissions are not enforced, so the child becomes ``nobody`` first. Modules
    ``work`` needs must be imported already: the interpreter's own files may be out of
    that user's reach. An exception in the child comes back as an AssertionError.
    """
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        try:
            os.close(read_end)
            if os.geteuid() == 0:
                os.setgroups([])
                os.setgid(NOBODY)
                os.setuid(NOBODY)
            payload = {"result": work()}
        except BaseException as exc:
            payload = {"error": f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}"}
        with os.fdopen(write_end, "w") as pipe:
            pipe.write(json.dumps(payload))
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        text = pipe.read()
    os.waitpid(pid, 0)
    answer = json.loads(text)
    if "error" in answer:
        raise AssertionError(f"in the child process: {answer['error']}")
    return answer["result"]
