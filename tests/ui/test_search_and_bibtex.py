"""F searches every day of the feed (visited or not) and jumps to a paper; B and ctrl+b export BibTeX."""

from __future__ import annotations

import asyncio
import time
from datetime import date
from pathlib import Path

import bibtexparser
import httpx
import pytest
from textual.app import App, ComposeResult
from textual.widgets import Input, OptionList, Static

from hotpapers_tui.feeds import FolderFeed
from hotpapers_tui.feeds.github import GithubFeed, parse_github_spec
from hotpapers_tui.fetch.cache import AnswerCache
from hotpapers_tui.fetch.client import HttpFetcher, RetryPolicy
from hotpapers_tui.library.marks import ReadPolicy
from hotpapers_tui.library.searchindex import Hit, IndexedPaper
from hotpapers_tui.ui.app import HotPapersApp
from hotpapers_tui.ui.dialogs.confirm import ConfirmDialog
from hotpapers_tui.ui.dialogs.save_post import SavePostDialog
from hotpapers_tui.ui.dialogs.search_days import SearchDaysDialog
from tests.ui.conftest import TRICKY_TITLE
from tests.ui.helpers import SIZES, idle, notifications, reader, settle, shown_day
from tests.ui.test_reader_faults import DAYS as REMOTE_DAYS
from tests.ui.test_reader_faults import FOLDER, OWNER, REF, REPO, Repo

NO_TIMER = ReadPolicy(after_shown=None, on_open=False)


def entries(path: Path) -> list[dict[str, str]]:
    library = bibtexparser.parse_string(path.read_text(encoding="utf-8"))
    assert not library.failed_blocks
    return [{f.key: f.value for f in entry.fields} for entry in library.entries]


def dialog_text(dialog: SearchDaysDialog, widget: str) -> str:
    return str(dialog.query_one(widget, Static).content)


async def search_for(pilot: object, text: str) -> SearchDaysDialog:
    """Type ``text`` into the open search dialog and wait for its answer."""
    app = pilot.app  # type: ignore[attr-defined]
    dialog = app.screen
    assert isinstance(dialog, SearchDaysDialog)
    await pilot.press(*text)  # type: ignore[attr-defined]
    for _ in range(100):
        await idle(pilot)  # type: ignore[arg-type]
        if dialog.searched == text:
            break
    return dialog


@pytest.mark.parametrize("size", SIZES)
async def test_search_finds_a_paper_on_a_day_never_visited_and_jumps_to_it(
    feed: FolderFeed, size: tuple[int, int]
) -> None:
    app = HotPapersApp(feed, start_date=date(2024, 3, 8), read_policy=NO_TIMER)
    async with app.run_test(size=size) as pilot:
        screen = await settle(pilot)
        assert not screen.loader.is_cached(date(2024, 3, 5)), "the tricky title's day is never loaded"
        await pilot.press("F")
        await pilot.pause()
        assert isinstance(app.screen, SearchDaysDialog)
        dialog = await search_for(pilot, "[WIP]")
        assert [h.title for h in dialog.hits] == [TRICKY_TITLE]
        shown = str(dialog.query_one(OptionList).get_option_at_index(0).prompt)
        assert TRICKY_TITLE in shown and "2024-03-05" in shown  # brackets shown literally
        assert dialog_text(dialog, "#search-status") == "1 match, newest day first."
        # The broken post is the one day search cannot cover, and the dialog says so.
        coverage = dialog_text(dialog, "#search-coverage")
        assert coverage == "Search covers 4 of the 5 days of dir:posts; 1 could not be read."
        await pilot.press("down")  # from the input to the results
        assert app.focused is dialog.query_one(OptionList)
        await pilot.press("enter")
        screen = await settle(pilot)
        assert shown_day(screen) == date(2024, 3, 5)
        assert screen.paper is not None and screen.paper.title == TRICKY_TITLE


async def test_search_says_no_match_and_escape_changes_nothing(feed: FolderFeed) -> None:
    app = HotPapersApp(feed, start_date=date(2024, 3, 7), read_policy=NO_TIMER)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("F")
        dialog = await search_for(pilot, "nothing-matches-this")
        assert dialog.hits == [] and dialog_text(dialog, "#search-status") == "No match."
        await pilot.press("escape")
        screen = await settle(pilot)
        assert shown_day(screen) == date(2024, 3, 7)


def hit(title: str) -> Hit:
    paper = IndexedPaper(date(2024, 1, 1), 1, "2401.00001", title, (), (), "https://arxiv.org/abs/2401.00001")
    return Hit(paper.date, 1, paper.arxiv_id, title, paper)


async def test_a_newer_keystroke_wins_over_a_slow_query() -> None:
    asked: list[str] = []

    def search(text: str) -> list[Hit]:
        asked.append(text)
        if text == "a":
            time.sleep(0.4)  # a slow scan: its answer arrives after the next keystroke's
        return [hit(f"answer to {text}")]

    class Host(App[None]):
        def compose(self) -> ComposeResult:
            return iter(())

        def on_mount(self) -> None:
            self.push_screen(SearchDaysDialog(search, "covers everything"))

    app = Host()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        began = time.perf_counter()
        await pilot.press("a", "b")
        typed = time.perf_counter() - began
        await asyncio.sleep(0.6)
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, SearchDaysDialog)
        assert typed < 0.3, "typing never waits for a query"
        assert asked[0] == "a" and asked[-1] == "ab"
        assert [h.title for h in dialog.hits] == ["answer to ab"] and dialog.searched == "ab"
        assert dialog.query_one(Input).value == "ab"


async def test_a_remote_feed_is_indexed_from_the_cache_only(tmp_path: Path) -> None:
    repo = Repo()
    cache = tmp_path / "cache"
    spec = f"github:{OWNER}/{REPO}/{FOLDER}@{REF}"

    def fetcher(offline: bool) -> HttpFetcher:
        return HttpFetcher(
            cache=AnswerCache(cache),
            retry=RetryPolicy(attempts=1),
            offline=offline,
            transport=httpx.MockTransport(repo.handle),
        )

    def cache_only() -> GithubFeed:
        return GithubFeed(parse_github_spec(spec), fetcher(True), name=spec, owns_fetcher=True)

    class NoPrefetch(GithubFeed):
        prefetch = False

    feed = NoPrefetch(parse_github_spec(spec), fetcher(False), name=spec, owns_fetcher=True)
    app = HotPapersApp(feed, start_date=REMOTE_DAYS[0], cache_only=cache_only, read_policy=NO_TIMER)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        requests = repo.requests
        await pilot.press("F")
        await idle(pilot)
        dialog = app.screen
        assert isinstance(dialog, SearchDaysDialog)
        coverage = dialog_text(dialog, "#search-coverage")
        assert coverage.startswith(f"Search covers 1 of the 3 days of {spec}; 2 not cached yet")
        assert repo.requests == requests, "indexing for search never fetches"
        await pilot.press("escape", "right_square_bracket")  # visiting a day caches it
        await settle(pilot)
        await pilot.press("F")
        await idle(pilot)
        dialog = app.screen
        assert isinstance(dialog, SearchDaysDialog)
        assert dialog_text(dialog, "#search-coverage").startswith(f"Search covers 2 of the 3 days of {spec}; 1 ")


async def test_search_shows_its_progress_while_indexing(tmp_path: Path) -> None:
    from tests.ui.postgen import make_day, write_posts

    days = [date(2023, 1, 1 + n) for n in range(25)]
    write_posts(tmp_path / "many", [make_day(d, 3) for d in days])
    app = HotPapersApp(FolderFeed(tmp_path / "many", name="dir:many"), read_policy=NO_TIMER)
    seen: list[str] = []
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await settle(pilot)
        original = screen._index_progress

        def watch(done: int, total: int) -> None:
            original(done, total)
            seen.append(screen.indexing)

        screen._index_progress = watch  # type: ignore[method-assign]
        await pilot.press("F")
        await idle(pilot)
        dialog = app.screen
        assert isinstance(dialog, SearchDaysDialog)
        assert "indexing 0/25" in seen and "indexing 24/25" in seen and seen[-1] == ""
        assert dialog_text(dialog, "#search-coverage") == "Search covers all 25 days of dir:many."
        dialog = await search_for(pilot, '"paper 2 of 2023-01-0"')
        assert len(dialog.hits) == 9
        assert reader(pilot).indexing == ""


async def test_bibtex_of_the_day_parses_and_never_overwrites_silently(feed: FolderFeed, tmp_path: Path) -> None:
    app = HotPapersApp(feed, start_date=date(2024, 3, 5), export_dir=tmp_path, read_policy=NO_TIMER)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = await settle(pilot)
        await pilot.press("B")
        await pilot.pause()
        assert isinstance(app.screen, SavePostDialog)
        assert app.screen.title_text == "Export day 2024-03-05 (7 papers) as BibTeX"
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
        await pilot.press("asterisk", "ctrl+b")
        await pilot.pause()
        assert isinstance(app.screen, SavePostDialog)
        assert app.screen.title_text == "Export 1 starred paper as BibTeX"
        await pilot.press("escape", "down", "asterisk", "ctrl+b")
        await pilot.pause()
        assert isinstance(app.screen, SavePostDialog)
        assert app.screen.title_text == "Export 2 starred papers as BibTeX"
        await pilot.press("enter")
        await settle(pilot)
        found = entries(tmp_path / "starred.bib")
        assert len(found) == 2 and all(e["archivePrefix"] == "arXiv" for e in found)
