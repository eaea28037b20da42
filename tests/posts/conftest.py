"""Fixtures for the post tests: a folder of generated posts."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest

from hotpapers_tui.posts import render_post
from tests.posts.day_factory import random_day

FOLDER_DATES = [dt.date(2021, 6, 21), dt.date(2021, 6, 23), dt.date(2021, 6, 22)]


@pytest.fixture
def post_dir(tmp_path: Path) -> Path:
    """A folder of three generated posts (the middle one in the older layout) and a stray file."""
    folder = tmp_path / "posts"
    folder.mkdir()
    rng = random.Random(3)
    for when in FOLDER_DATES:
        day = random_day(rng, when, papers=4)
        text = render_post(day)
        if when == dt.date(2021, 6, 23):
            text = text.replace("\n---\n", "\n---\n\n", 1)
        (folder / day.filename).write_text(text, encoding="utf-8")
    (folder / "notes.txt").write_text("not a post", encoding="utf-8")
    return folder
