"""The reader's main screen: holds the bindings and moves between days, papers and links."""

from __future__ import annotations

import asyncio
import bisect
from collections import OrderedDict
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Input

from hotpapers_tui.export import ExportError, save_post, write_text_atomic
from hotpapers_tui.feeds import DayLoad, Feed, nearest_on_or_before
from hotpapers_tui.feeds.base import export_ready, step_note, wants_prefetch
from hotpapers_tui.latex import latex_to_unicode
from hotpapers_tui.library.bibtex import to_bibtex
from hotpapers_tui.library.marks import Marks, MarksError, MarkSet, ReadPolicy
from hotpapers_tui.library.query import SortKey, next_sort_key, parse_query, sort_papers
from hotpapers_tui.library.searchindex import Hit, SearchIndex, SearchIndexError, feed_key
from hotpapers_tui.links import ALLOWED_HOSTS, refusal, safe_url
from hotpapers_tui.model import Day, Paper
from hotpapers_tui.textsafety import plain
from hotpapers_tui.ui.bindings import bindings_for
from hotpapers_tui.ui.dialogs.confirm import ConfirmDialog
from hotpapers_tui.ui.dialogs.goto_date import GotoDateDialog
from hotpapers_tui.ui.dialogs.save_post import SavePostDialog
from hotpapers_tui.ui.dialogs.search_days import SearchDaysDialog
from hotpapers_tui.ui.screens.help import HelpScreen
from hotpapers_tui.ui.widgets.day_header import DayHeader
from hotpapers_tui.ui.widgets.filter_input import FilterInput
from hotpapers_tui.ui.widgets.key_bar import KeyBar
from hotpapers_tui.ui.widgets.paper_detail import PaperDetail
from hotpapers_tui.ui.widgets.paper_list import PaperList

CACHED_DAYS = 32
"""How many loaded days stay in memory for instant switching."""
START_ATTEMPTS = 5
"""How many days, going back from the start day, the reader tries before giving up."""


def openable(url: str) -> bool:
    """Only web pages on the hosts the reader expects: never file:, javascript: or anywhere else."""
    return safe_url(url, hosts=ALLOWED_HOSTS) is not None


def error_text(exc: BaseException) -> str:
    """An error as one safe line for a notification."""
    message = str(exc) or type(exc).__name__
    return plain(message)


class ReaderScreen(Screen[None]):
    """A day's ranked papers beside the highlighted paper's detail."""

    BINDINGS: ClassVar[list[BindingType]] = [*bindings_for(""), *bindings_for("narrow")]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (81, "-wide")]  # noqa: RUF012 (Screen declares it)

    def __init__(
        self,
        feed: Feed,
        start_date: date | None = None,
        export_dir: Path | None = None,
        *,
        read_policy: ReadPolicy | None = None,
    ) -> None:
        super().__init__()
        self.feed = feed
        """Where the days come from."""
        self.start_date = start_date
        """The day asked for on the command line, or None for the newest."""
        self.export_dir = export_dir
        """The folder ``s`` offers, or None for the current folder."""
        self.days: list[date] = []
        """The feed's days, oldest first."""
        self.current: DayLoad | None = None
        """The day on screen."""
        self.wanted: date | None = None
        """The day last asked for: the one on screen, or the one loading."""
        self.cache: OrderedDict[date, DayLoad] = OrderedDict()
        """Recently loaded days, most recent last."""
        self.marks: Marks | None = None
        """Read and star marks, or None when their database cannot be opened."""
        self.read_policy = read_policy or ReadPolicy()
        """When a paper counts as read without ``r``."""
        self.sort_key: SortKey = "score"
        """How the list is ordered (``S`` cycles)."""
        self.filter_text = ""
        """What the filter line holds (``/``)."""
        self._read_timer: Timer | None = None
        self._position = 0
        self.index: SearchIndex | None = None
        """The index of days seen, for F; None when it cannot be opened."""
        self._select_after: str | None = None

    def compose(self) -> ComposeResult:
        yield DayHeader(id="day-header")
        yield FilterInput(placeholder="filter: words, cat:cs.LG, author:name, is:unread, is:starred", id="list-filter")
        with Horizontal(id="panes"):
            yield PaperList(id="paper-list")
            yield PaperDetail(id="paper-detail")
        yield KeyBar(getattr(self.app, "user_keymap", {}), id="key-bar")

    def on_mount(self) -> None:
        self._open_marks()
        self.query_one(DayHeader).show_loading(self.feed.name, "loading the feed's days...")
        self.query_one(PaperList).focus()
        self.open_feed()

    # -- loading -----------------------------------------------------------------

    @work(exclusive=True, group="load", exit_on_error=False)
    async def open_feed(self) -> None:
        """List the feed's days and show the start day."""
        try:
            self.days = sorted(await self.feed.days())
        except Exception as exc:
            self.query_one(DayHeader).show_loading(self.feed.name, "could not list the days")
            self.notify(error_text(exc), title="Cannot open the feed", severity="error", markup=False)
            return
        if not self.days:
            self.query_one(DayHeader).show_loading(self.feed.name, "this feed has no days")
            self.notify(f"{self.feed.name} has no days yet.", severity="warning", markup=False)
            return
        target = self.days[-1]
        if self.start_date is not None:
            found = nearest_on_or_before(self.days, self.start_date)
            target = found if found is not None else self.days[0]
            if target != self.start_date:
                where = "the nearest earlier day" if found is not None else "the oldest day"
                self.notify(
                    f"No post for {self.start_date.isoformat()}; showing {where}, {target.isoformat()}.",
                    markup=False,
                )
        # A day that cannot be read must not leave the reader empty: fall back to earlier ones.
        index = self.days.index(target)
        for candidate in reversed(self.days[max(0, index - START_ATTEMPTS + 1) : index + 1]):
            self.query_one(DayHeader).show_loading(self.feed.name, f"loading {candidate.isoformat()}...")
            if await self._load(candidate, refresh=False):
                return
        self.query_one(DayHeader).show_loading(self.feed.name, "could not load a day")

    @work(exclusive=True, group="load", exit_on_error=False)
    async def load_day(self, day: date, refresh: bool = False) -> None:
        """Load ``day`` and show it; a newer request cancels this one."""
        await self._load(day, refresh=refresh)

    async def _load(self, day: date, *, refresh: bool) -> bool:
        """Load and show ``day``; an error becomes a notification. True when shown."""
        self.wanted = day
        header = self.query_one(DayHeader)

        def progress(line: str) -> None:
            # Builds of live days report each source as it answers; loads run on the UI's loop.
            if self.wanted == day:
                header.show_loading(self.feed.name, f"building {day.isoformat()}: {plain(line)}")

        try:
            loaded = await self.feed.load(day, refresh=refresh, progress=progress)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            # The day on screen stays; the next request starts from it again.
            self.wanted = self.current.day.date if self.current else None
            self.notify(error_text(exc), title=f"Cannot load {day.isoformat()}", severity="error", markup=False)
            return False
        self._remember(day, loaded)
        self.show_day(loaded, keep_cursor=refresh)
        if refresh:
            self.notify(f"Refreshed {day.isoformat()}.", markup=False)
        return True

    @work(group="prefetch", exit_on_error=False)
    async def prefetch(self, days: Sequence[date]) -> None:
        """Load neighbouring days ahead of need; failures stay silent."""
        for day in days:
            if day in self.cache:
                continue
            try:
                self._remember(day, await self.feed.load(day))
            except asyncio.CancelledError:
                raise
            except Exception:
                continue

    def _remember(self, day: date, loaded: DayLoad) -> None:
        self._index_day(loaded)
        self.cache[day] = loaded
        self.cache.move_to_end(day)
        while len(self.cache) > CACHED_DAYS:
            self.cache.popitem(last=False)

    def go_to(self, day: date) -> None:
        """Show ``day``: at once when it is in memory, else through a loading worker."""
        if self.current is not None and day == self.current.day.date and day == self.wanted:
            return
        cached = self.cache.get(day)
        if cached is not None:
            self.workers.cancel_group(self, "load")
            self.wanted = day
            self.cache.move_to_end(day)
            self.show_day(cached)
            return
        self.wanted = day
        self.query_one(DayHeader).show_loading(self.feed.name, f"loading {day.isoformat()}...")
        self.load_day(day)

    def show_day(self, loaded: DayLoad, *, keep_cursor: bool = False) -> None:
        """Put a loaded day on screen and start loading its neighbours."""
        self.current = loaded
        day = loaded.day.date
        index = bisect.bisect_left(self.days, day)
        position = index + 1 if index < len(self.days) and self.days[index] == day else 0
        self._position = position
        self._show_list(keep_cursor=keep_cursor)
        self._select_pending()
        neighbours = [self.days[i] for i in (index + 1, index - 1) if 0 <= i < len(self.days)]
        if wants_prefetch(self.feed) and any(d not in self.cache for d in neighbours):
            self.prefetch(neighbours)

    @property
    def paper(self) -> Paper | None:
        """The highlighted paper."""
        return self.query_one(PaperList).highlighted

    @on(DataTable.RowHighlighted, "#paper-list")
    def follow_cursor(self, event: DataTable.RowHighlighted) -> None:
        self.query_one(PaperDetail).show_paper(self.paper)
        self._start_read_timer()

    @on(DataTable.RowSelected, "#paper-list")
    def open_selected(self, event: DataTable.RowSelected) -> None:
        self.action_show_detail()

    # -- day navigation ----------------------------------------------------------

    def _step(self, offset: int) -> None:
        if not self.days:
            return
        base = self.wanted or (self.current.day.date if self.current else self.days[-1])
        index = bisect.bisect_left(self.days, base)
        if offset < 0:
            target = index - 1
        else:
            target = index + 1 if index < len(self.days) and self.days[index] == base else index
        if not 0 <= target < len(self.days):
            self.notify("This is the newest day." if offset > 0 else "This is the oldest day.", markup=False)
            return
        note = step_note(self.feed, base, self.days[target])
        if note:
            self.notify(note, markup=False, timeout=10)
        self.go_to(self.days[target])

    def action_next_day(self) -> None:
        self._step(1)

    def action_prev_day(self) -> None:
        self._step(-1)

    def action_oldest_day(self) -> None:
        if self.days:
            self.go_to(self.days[0])

    def action_newest_day(self) -> None:
        if self.days:
            self.go_to(self.days[-1])

    def action_refresh(self) -> None:
        if self.current is not None:
            self.wanted = self.current.day.date
            self.load_day(self.current.day.date, refresh=True)

    def action_goto_date(self) -> None:
        shown = self.current.day.date if self.current else None
        first = self.days[0] if self.days else None
        last = self.days[-1] if self.days else None
        self.app.push_screen(GotoDateDialog(shown, first, last), self._goto_chosen)

    def _goto_chosen(self, wanted: date | None) -> None:
        if wanted is None or not self.days:
            return
        found = nearest_on_or_before(self.days, wanted)
        if found is None:
            self.notify(
                f"No day on or before {wanted.isoformat()}: the oldest is {self.days[0].isoformat()}.",
                severity="warning",
                markup=False,
            )
            return
        if found != wanted:
            self.notify(f"No post for {wanted.isoformat()}; showing {found.isoformat()}.", markup=False)
        self.go_to(found)

    # -- links -------------------------------------------------------------------

    def _open(self, url: str, what: str) -> None:
        if not url:
            self.notify(f"This paper has no {what}.", severity="warning", markup=False)
            return
        if not openable(url):
            why = refusal(url, hosts=ALLOWED_HOSTS) or "not a web link"
            self.notify(f"Not opening {plain(url)!r}: {plain(why)}", severity="warning", markup=False)
            return
        self.app.open_url(url)
        self.notify(f"Opening {plain(url)}", markup=False)
        if self.read_policy.on_open and (paper := self.paper) is not None:
            self._set_read(paper.arxiv_id)

    def action_open_abs(self) -> None:
        if (paper := self.paper) is not None:
            self._open(paper.abs_url, "abstract link")

    def action_open_pdf(self) -> None:
        if (paper := self.paper) is not None:
            self._open(paper.pdf_url, "PDF link")

    def action_open_tweet(self) -> None:
        if (paper := self.paper) is not None:
            self._open(paper.tweets[0].url if paper.tweets else "", "post")

    def action_copy_abs(self) -> None:
        if (paper := self.paper) is None:
            return
        if not openable(paper.abs_url):
            why = refusal(paper.abs_url, hosts=ALLOWED_HOSTS) or "not a web link"
            self.notify(f"Not copying {plain(paper.abs_url)!r}: {plain(why)}", severity="warning", markup=False)
            return
        self.app.copy_to_clipboard(paper.abs_url)
        self.notify(f"Copied {plain(paper.abs_url)}\n{plain(latex_to_unicode(paper.title))}", markup=False)

    # -- reading marks, sort and filter ---------------------------------------

    def _open_marks(self) -> None:
        try:
            self.index = SearchIndex.open()
        except SearchIndexError as exc:
            self.notify(f"Search across days is off: {error_text(exc)}", severity="warning", markup=False)
        else:
            if self.index.notice:
                self.notify(plain(self.index.notice), severity="warning", markup=False)
        try:
            self.marks = Marks.open()
        except MarksError as exc:
            self.notify(f"Read and star marks are off: {error_text(exc)}", severity="warning", markup=False)
            return
        if self.marks.notice:
            self.notify(plain(self.marks.notice), severity="warning", markup=False)

    def on_unmount(self) -> None:
        if self.marks is not None:
            self.marks.close()
        if self.index is not None:
            self.index.close()

    def _snapshot(self) -> MarkSet | None:
        return self.marks.snapshot() if self.marks is not None else None

    def _show_list(self, *, keep_cursor: bool = False) -> None:
        """Show the current day's papers through the filter and sort, and the header with them."""
        if self.current is None:
            return
        papers = self.current.day.papers
        marks = self._snapshot()
        query = parse_query(self.filter_text)
        shown: list[Paper] = list(papers)
        if not query.is_empty:
            shown = query.filter(shown, marks)
        if self.sort_key != "score":
            shown = sort_papers(shown, self.sort_key)
        ranks = None
        if len(shown) != len(papers) or self.sort_key != "score":
            rank_of = {id(paper): rank for rank, paper in enumerate(papers, start=1)}
            ranks = [rank_of[id(paper)] for paper in shown]
        paper_list = self.query_one(PaperList)
        paper_list.show_papers(shown, keep_cursor=keep_cursor, ranks=ranks, marks=marks)
        self.query_one(PaperDetail).show_paper(paper_list.highlighted)
        self._show_header()

    def _show_header(self) -> None:
        if self.current is None:
            return
        papers = self.current.day.papers
        extra = []
        if self.marks is not None:
            extra.append(f"{self.marks.unread_count(p.arxiv_id for p in papers)} unread")
        if self.sort_key != "score":
            extra.append(f"sorted by {self.sort_key}")
        if self.filter_text.strip():
            extra.append(f"filter: {len(self.query_one(PaperList).papers)} shown")
        header = self.query_one(DayHeader)
        header.show_day(self.feed.name, self.current, self._position, len(self.days), "  ".join(extra))

    def _marks_changed(self) -> None:
        self.query_one(PaperList).show_marks(self._snapshot())
        self._show_header()

    def _set_read(self, arxiv_id: str) -> None:
        if self.marks is None or self.marks.is_read(arxiv_id):
            return
        try:
            self.marks.set_read(arxiv_id, True)
        except MarksError as exc:
            self.notify(error_text(exc), severity="warning", markup=False)
            return
        self._marks_changed()

    def _start_read_timer(self) -> None:
        if self._read_timer is not None:
            self._read_timer.stop()
            self._read_timer = None
        paper = self.paper
        if paper is None or self.marks is None or self.read_policy.after_shown is None:
            return
        arxiv_id = paper.arxiv_id

        def shown_long_enough() -> None:
            if (still := self.paper) is not None and still.arxiv_id == arxiv_id:
                self._set_read(arxiv_id)

        self._read_timer = self.set_timer(self.read_policy.after_shown, shown_long_enough)

    def action_toggle_read(self) -> None:
        if (paper := self.paper) is None or self.marks is None:
            return
        try:
            read = self.marks.toggle_read(paper.arxiv_id)
        except MarksError as exc:
            self.notify(error_text(exc), severity="warning", markup=False)
            return
        self._marks_changed()
        self.notify(f"{'Read' if read else 'Unread'}: {plain(latex_to_unicode(paper.title))}", markup=False)

    def action_toggle_star(self) -> None:
        if (paper := self.paper) is None or self.marks is None or self.current is None:
            return
        try:
            starred = self.marks.toggle_star(paper, listed=self.current.day.date)
        except MarksError as exc:
            self.notify(error_text(exc), severity="warning", markup=False)
            return
        self._marks_changed()
        self.notify(f"{'Starred' if starred else 'Unstarred'}: {plain(latex_to_unicode(paper.title))}", markup=False)

    def action_cycle_sort(self) -> None:
        self.sort_key = next_sort_key(self.sort_key)
        self._show_list()
        self.notify(f"Sorted by {self.sort_key}", markup=False)

    def action_filter(self) -> None:
        box = self.query_one(FilterInput)
        box.add_class("-shown")
        # A widget still hidden cannot take focus: wait until the line is laid out.
        self.call_after_refresh(box.focus)

    @on(Input.Changed, "#list-filter")
    def filter_changed(self, event: Input.Changed) -> None:
        self.filter_text = event.value
        self._show_list()

    @on(Input.Submitted, "#list-filter")
    def filter_done(self, event: Input.Submitted) -> None:
        self.query_one(PaperList).focus()

    @on(FilterInput.Closed)
    def filter_closed(self, event: FilterInput.Closed) -> None:
        self.filter_text = ""
        self.query_one(FilterInput).remove_class("-shown")
        self._show_list()
        self.query_one(PaperList).focus()

    # -- narrow screens ----------------------------------------------------------

    def action_show_detail(self) -> None:
        if self.has_class("-narrow"):
            self.add_class("detail-open")
            self.query_one(PaperDetail).focus()

    def action_hide_detail(self) -> None:
        if self.has_class("detail-open"):
            self.remove_class("detail-open")
            self.query_one(PaperList).focus()

    # -- saving ------------------------------------------------------------------

    def action_save_post(self) -> None:
        if self.current is None:
            self.notify("No day to save yet.", severity="warning", markup=False)
            return
        self.save_current()

    @work(exclusive=True, group="save", exit_on_error=False)
    async def save_current(self) -> None:
        """Ask where, ask before replacing, then write the day atomically."""
        if self.current is None:
            return
        day = self.current.day
        dialog = SavePostDialog(self._default_path(day.filename), day.key)
        await self._write_asking(dialog, day, None)

    def _default_path(self, name: str) -> Path:
        # Without an export folder the name alone is offered: it saves in the current folder.
        return self.export_dir / name if self.export_dir is not None else Path(name)

    async def _write_asking(self, dialog: SavePostDialog, day: Day | None, text: str | None) -> None:
        """Ask where (``dialog``), ask before replacing, then write ``day`` as a post or ``text`` atomically."""
        path = await self.app.push_screen_wait(dialog)
        if path is None:
            return
        replace = path.exists()
        if replace:
            if path.is_dir():
                self.notify(f"{path} is a folder.", severity="error", markup=False)
                return
            ok = await self.app.push_screen_wait(ConfirmDialog("Replace file?", f"{path} already exists. Replace it?"))
            if not ok:
                self.notify(f"Not saved: {path} left as it was.", markup=False)
                return
        try:
            if day is not None:
                day = await export_ready(self.feed, day)
                written = await asyncio.to_thread(save_post, day, path, overwrite=replace)
            else:
                written = await asyncio.to_thread(write_text_atomic, path, text or "", overwrite=replace)
        except ExportError as exc:
            self.notify(error_text(exc), title="Not saved", severity="error", markup=False)
            return
        self.notify(f"Saved {written.absolute()}", title="Saved", markup=False)

    # -- BibTeX and search across days -------------------------------------------

    def action_bibtex_day(self) -> None:
        if self.current is None:
            self.notify("No day to export yet.", severity="warning", markup=False)
            return
        day = self.current.day
        self._export_bibtex(to_bibtex(day.papers, listed=day.date), f"hot-papers-{day.key}.bib", f"day {day.key}")

    def action_bibtex_starred(self) -> None:
        if self.marks is None:
            self.notify("Read and star marks are off: nothing is starred.", severity="warning", markup=False)
            return
        starred = self.marks.starred()
        if not starred:
            self.notify("No starred papers yet: star one with *.", severity="warning", markup=False)
            return
        self._export_bibtex(to_bibtex(starred), "starred.bib", f"{len(starred)} starred papers")

    @work(exclusive=True, group="save", exit_on_error=False)
    async def _export_bibtex(self, text: str, name: str, what: str) -> None:
        dialog = SavePostDialog(self._default_path(name), what, title=f"Export {what} as BibTeX")
        await self._write_asking(dialog, None, text)

    def _index_day(self, loaded: DayLoad) -> None:
        """Keep the day in the search index so F finds it later; the index is optional."""
        if self.index is None:
            return
        try:
            self.index.put_day(feed_key(self.feed), loaded.day)
        except SearchIndexError:
            self.index = None

    def action_search_days(self) -> None:
        if self.index is None:
            self.notify("The search index is not available.", severity="warning", markup=False)
            return
        index, key = self.index, feed_key(self.feed)

        def search(text: str) -> list[Hit]:
            try:
                return index.search(key, text, limit=200, marks=self._snapshot())
            except SearchIndexError:
                return []

        self.app.push_screen(SearchDaysDialog(search, len(index.indexed_days(key))), self._jump_to_hit)

    def _jump_to_hit(self, hit: Hit | None) -> None:
        if hit is None:
            return
        self._select_after = hit.arxiv_id
        if self.current is not None and self.current.day.date == hit.date:
            self._select_pending()
        else:
            self.go_to(hit.date)

    def _select_pending(self) -> None:
        wanted, self._select_after = self._select_after, None
        if wanted is None:
            return
        paper_list = self.query_one(PaperList)
        for row, paper in enumerate(paper_list.papers):
            if paper.arxiv_id == wanted:
                paper_list.move_cursor(row=row, animate=False)
                return

    # -- help ---------------------------------------------------------------------

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(getattr(self.app, "user_keymap", {})))
