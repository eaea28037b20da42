"""Fixtures for the reader's tests: a folder feed of generated posts with a gap and a broken day."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from hotpapers_tui.feeds import FolderFeed
from tests.ui.postgen import embed, make_day, make_paper, write_posts

TRICKY_TITLE = "[Re] Attention [WIP]: the [bold]"
CLOSING_TITLE = "Closing tags [/x] and [/] \x1b[31mred\x1b[0m stay text"
CLOSING_SHOWN = "Closing tags [/x] and [/] red stay text"

# 2024-03-06 is missing (a gap) and 2024-03-09 is a broken file (a load error).
DAYS = [date(2024, 3, 4), date(2024, 3, 5), date(2024, 3, 7), date(2024, 3, 8)]
BROKEN = date(2024, 3, 9)


def tricky_day(day: date) -> list:  # type: ignore[type-arg]
    first = make_paper(
        day,
        1,
        title=TRICKY_TITLE,
        abstract="An abstract with [b]markup[/b], $\\gamma$ and \x1b]8;;http://evil\x07a link\x1b]8;;\x07.",
        tweets=[
            embed("Line one [bold]\nline two", "Tricky [red]Name[/red]", "tricky", 1, day),
        ],
        score=5000,
    )
    second = make_paper(day, 2, title=CLOSING_TITLE, score=4000)
    return [first, second, *(make_paper(day, n) for n in range(3, 8))]


def write_feed(folder: Path) -> Path:
    days = [make_day(d, tricky_day(d) if d == date(2024, 3, 5) else 6) for d in DAYS]
    write_posts(folder, days)
    (folder / f"{BROKEN.isoformat()}---Hot-Papers.md").write_text("not a post\n", encoding="utf-8")
    return folder


@pytest.fixture
def posts_dir(tmp_path: Path) -> Path:
    return write_feed(tmp_path / "posts")


@pytest.fixture
def feed(posts_dir: Path) -> FolderFeed:
    return FolderFeed(posts_dir, name="dir:posts")
