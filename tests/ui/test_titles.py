"""A title shows the same everywhere the reader shows it: one line, single spaces, whatever the post held."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from textual.widgets import OptionList

from hotpapers_tui.feeds import FolderFeed
from hotpapers_tui.library.marks import ReadPolicy
from hotpapers_tui.ui.app import HotPapersApp
from hotpapers_tui.ui.dialogs.search_days import SearchDaysDialog
from tests.ui.helpers import SIZES, detail_words, notifications, paper_rows, settle
from tests.ui.postgen import make_day, make_paper, write_posts
from tests.ui.test_search_and_bibtex import search_for

DAY = date(2021, 8, 20)
# As the archive has them: a run of spaces, and a line break inside the title.
SPACED = "ImageBART: Bidirectional Context with Multinomial Diffusion for  Autoregressive\n  Image Synthesis"
SHOWN = "ImageBART: Bidirectional Context with Multinomial Diffusion for Autoregressive Image Synthesis"


@pytest.mark.parametrize("size", SIZES)
async def test_a_title_with_runs_of_spaces_is_single_spaced_everywhere(tmp_path: Path, size: tuple[int, int]) -> None:
    papers = [replace(make_paper(DAY, 1), title=SPACED), make_paper(DAY, 2)]
    write_posts(tmp_path, [make_day(DAY, papers)])
    app = HotPapersApp(FolderFeed(tmp_path, name="dir:posts"), read_policy=ReadPolicy(after_shown=None))
    async with app.run_test(size=size, notifications=True) as pilot:
        screen = await settle(pilot)
        assert SHOWN[:40] in paper_rows(screen)[0]
        if size[0] <= 80:
            await pilot.press("enter")
            await pilot.pause()
        assert SHOWN in detail_words(screen)
        if size[0] <= 80:
            await pilot.press("escape")
        # One routine notice at a time: each is looked at before the next replaces it.
        await pilot.press("r")
        await pilot.pause()
        assert f"Read: {SHOWN}" in notifications(app)
        await pilot.press("asterisk")
        await pilot.pause()
        assert f"Starred: {SHOWN}" in notifications(app)
        await pilot.press("F")
        await pilot.pause()
        dialog = await search_for(pilot, "imagebart")
        assert isinstance(dialog, SearchDaysDialog)
        options = dialog.query_one(OptionList)
        shown = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert any(line.endswith(SHOWN) for line in shown), shown
