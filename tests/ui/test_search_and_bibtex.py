"""F searches every day seen in the feed and jumps to a paper; B and ctrl+b export BibTeX."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import bibtexparser
import pytest
from textual.widgets import OptionList

from hotpapers_tui.feeds import FolderFeed
from hotpapers_tui.library.marks import ReadPolicy
from hotpapers_tui.ui.app import HotPapersApp
from hotpapers_tui.ui.dialogs.confirm import ConfirmDialog
from hotpapers_tui.ui.dialogs.save_post import SavePostDialog
from hotpapers_tui.ui.dialogs.search_days import SearchDaysDialog
from tests.ui.conftest import TRICKY_TITLE
from tests.ui.test_reader_pilot import notifications, settle, shown_day

NO_TIMER = ReadPolicy(after_shown=None, on_open=False)


def entries(path: Path) -> list[dict[str, str]]:
    library = bibtexparser.parse_string(path.read_text(encoding="utf-8"))
    assert not library.failed_blocks
    return [{f.key: f.value for f in entry.fields} for entry in library.entries]


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_search_finds_a_paper_on_another_day_and_jumps_to_it(feed: FolderFeed, size: tuple[int, int]) -> None:
    app = HotPapersApp(feed, start_date=date(2024, 3, 5), read_policy=NO_TIMER)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("right_square_bracket")
        await settle(pilot)
        await pilot.press("right_square_bracket")  # 2024-03-08; the tricky title lives on 2024-03-05
        screen = await settle(pilot)
        assert shown_day(screen) == date(2024, 3, 8)
        await pilot.press("F")
        await pilot.pause()
        assert isinstance(app.screen, SearchDaysDialog)
        await pilot.press(*"[WIP]")
        await pilot.pause()
        dialog = app.screen
        assert [h.title for h in dialog.hits] == [TRICKY_TITLE]
        shown = str(dialog.query_one(OptionList).get_option_at_index(0).prompt)
        assert TRICKY_TITLE in shown and "2024-03-05" in shown  # brackets shown literally
        await pilot.press("enter", "enter")
        screen = await settle(pilot)
        assert shown_day(screen) == date(2024, 3, 5)
        assert screen.paper is not None and screen.paper.title == TRICKY_TITLE


async def test_search_escape_changes_nothing(feed: FolderFeed) -> None:
    app = HotPapersApp(feed, start_date=date(2024, 3, 7), read_policy=NO_TIMER)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        await pilot.press("F", *"nothing-matches-this", "escape")
        screen = await settle(pilot)
        assert shown_day(screen) == date(2024, 3, 7)


async def test_bibtex_of_the_day_parses_and_never_overwrites_silently(feed: FolderFeed, tmp_path: Path) -> None:
    app = HotPapersApp(feed, start_date=date(2024, 3, 5), export_dir=tmp_path, read_policy=NO_TIMER)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = await settle(pilot)
        await pilot.press("B")
        await pilot.pause()
        assert isinstance(app.screen, SavePostDialog)
        await pilot.press("enter")
        await settle(pilot)
        target = tmp_path / "hot-papers-2024-03-05.bib"
        found = entries(target)
        assert screen.current is not None and len(found) == len(screen.current.day.papers)
        assert any("WIP" in e["title"] for e in found)
        target.write_text("% mine\n", encoding="utf-8")
        await pilot.press("B", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await settle(pilot)
        assert target.read_text(encoding="utf-8") == "% mine\n"


async def test_bibtex_of_starred_papers(feed: FolderFeed, tmp_path: Path) -> None:
    app = HotPapersApp(feed, start_date=date(2024, 3, 5), export_dir=tmp_path, read_policy=NO_TIMER)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert any("No starred papers" in m for m in notifications(app))
        await pilot.press("asterisk", "down", "asterisk", "ctrl+b")
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        found = entries(tmp_path / "starred.bib")
        assert len(found) == 2 and all(e["archivePrefix"] == "arXiv" for e in found)
