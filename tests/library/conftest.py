"""Fixtures for the reading-list tests: papers and days built in code, data folders in tmp_path."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

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
