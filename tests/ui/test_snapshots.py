"""SVG snapshots of the reader's main views (update with ``pytest tests/ui --snapshot-update``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from hotpapers_tui.feeds import FolderFeed
from hotpapers_tui.library.marks import ReadPolicy
from hotpapers_tui.ui.app import HotPapersApp
from tests.ui.helpers import idle, settle


def reader(posts_dir: Path, day: date = date(2024, 3, 5)) -> HotPapersApp:
    # A relative export folder keeps the save dialog's path the same on every machine.
    # No read-after-dwell timer: a slow machine must not change the unread markers mid-capture.
    policy = ReadPolicy(after_shown=None, on_open=False)
    feed = FolderFeed(posts_dir, name="dir:posts")
    return HotPapersApp(feed, start_date=day, export_dir=Path("/exports"), read_policy=policy)


def after(*keys: str) -> Callable[[Pilot[Any]], Any]:
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press(*keys)
        await idle(pilot)
        # Toasts come and go on their own clock: the views are captured without them.
        pilot.app.clear_notifications()
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", [(120, 40), (100, 30), (90, 30), (80, 24)])
def test_list_and_detail(snap_compare: Any, posts_dir: Path, size: tuple[int, int]) -> None:
    assert snap_compare(reader(posts_dir), terminal_size=size, run_before=after("down"))


def test_detail_narrow(snap_compare: Any, posts_dir: Path) -> None:
    assert snap_compare(reader(posts_dir), terminal_size=(80, 24), run_before=after("enter"))


def test_filter_and_sort_narrow(snap_compare: Any, posts_dir: Path) -> None:
    keys = ("S", "slash", *"cat:cs.LG", "enter")
    assert snap_compare(reader(posts_dir), terminal_size=(80, 24), run_before=after(*keys))


def test_help(snap_compare: Any, posts_dir: Path) -> None:
    assert snap_compare(reader(posts_dir), terminal_size=(120, 40), run_before=after("question_mark"))


def test_save_dialog(snap_compare: Any, posts_dir: Path) -> None:
    assert snap_compare(reader(posts_dir), terminal_size=(120, 40), run_before=after("s"))


def test_go_to_date_dialog(snap_compare: Any, posts_dir: Path) -> None:
    assert snap_compare(reader(posts_dir), terminal_size=(80, 24), run_before=after("g"))


def test_search_dialog(snap_compare: Any, posts_dir: Path) -> None:
    assert snap_compare(reader(posts_dir), terminal_size=(100, 30), run_before=after("F", *"paper 3", "down"))
