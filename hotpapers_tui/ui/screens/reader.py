"""The reader's main screen: the bindings, and the wiring between the days, the marks and the widgets.

Days come from a :class:`~hotpapers_tui.dayloader.DayLoader`; which papers the list holds
comes from :func:`~hotpapers_tui.dayloader.list_papers`. The screen keeps its view state
(the day on screen, the sort, the filter) in reactives and runs everything slow (the
feed, the marks and search databases, indexing) in workers, so its first frame is on
screen before any of it starts.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from concurrent.futures import Future
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, TypeVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Container
from textual.reactive import var
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input
from textual.worker import Worker, WorkerState, get_current_worker

from hotpapers_tui.dayloader import EMPTY_LIST, DayLoader, ListedPapers, list_papers, next_unread, plural
from hotpapers_tui.daymarks import DayMarks
from hotpapers_tui.feeds.base import DayLoad, Feed, export_ready, jump_note, step_note
from hotpapers_tui.feeds.folder import sample_feed
from hotpapers_tui.library.marks import Marks, MarksError, MarkSet, ReadPolicy
from hotpapers_tui.library.query import SortKey, next_sort_key, parse_query
from hotpapers_tui.links import ALLOWED_HOSTS, refusal, safe_url
from hotpapers_tui.model import Day, Paper
from hotpapers_tui.startup import FALLBACK, listing_failure, listing_note
from hotpapers_tui.textsafety import plain
from hotpapers_tui.ui.bindings import bindings_for
from hotpapers_tui.ui.safe_text import shown_title
from hotpapers_tui.ui.widgets.day_header import Badge, DayHeader, StatusLine, day_badges, short_name
from hotpapers_tui.ui.widgets.filter_input import FilterInput
from hotpapers_tui.ui.widgets.key_bar import KeyBar
from hotpapers_tui.ui.widgets.paper_detail import PaperDetail
from hotpapers_tui.ui.widgets.paper_list import PaperList

if TYPE_CHECKING:
    # Dialogs and the search index load when first used: the first frame does not wait for them.
    from hotpapers_tui.daysearch import Coverage, FeedSearch
    from hotpapers_tui.library.searchindex import Hit, SearchIndex
    from hotpapers_tui.ui.dialogs.save_post import SavePostDialog
    from hotpapers_tui.ui.dialogs.search_days import SearchDaysDialog

MARKS_POLL = 0.5
"""Seconds between checks for marks changed by another program."""
SLOW = 3.0
"""Seconds after which a load still running is called slow in the status line."""
UNDO_DEPTH = 20
"""How many changes of marks ``u`` can take back."""

T = TypeVar("T")

CacheOnlyFeed = Callable[[], Feed]
"""Opens the feed again answering from the cache only (never the network), for indexing in the background."""


def openable(url: str) -> bool:
    """Only web pages on the hosts the reader expects: never file:, javascript: or anywhere else."""
    return safe_url(url, hosts=ALLOWED_HOSTS) is not None


def first_sentence(note: str) -> str:
    """The first sentence of a note, for the one status line (the notification and the tooltip carry all of it)."""
    head, dot, rest = note.partition(". ")
    return head if dot and rest else note


def error_text(exc: BaseException) -> str:
    """An error as one safe line for a notification."""
    message = str(exc) or type(exc).__name__
    return plain(message)


class ReaderScreen(Screen[None]):
    """A day's ranked papers beside (or above) the highlighted paper's detail."""

    BINDINGS: ClassVar[list[BindingType]] = [*bindings_for("")]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (81, "-stacked"), (100, "-wide")]  # noqa: RUF012 (Screen declares it)
    AUTO_FOCUS = "#paper-list"

    # Vars, not reactives: their watchers redraw what changed, and a reactive on the screen
    # would repaint the whole screen on every day switch.
    day: var[date | None] = var(None, init=False)
    """The day on screen."""
    sort_key: var[SortKey] = var("score", init=False)
    """How the list is ordered (``S`` cycles)."""
    filter_text: var[str] = var("", init=False)
    """What the filter line holds (``/``)."""

    def __init__(
        self,
        feed: Feed,
        start_date: date | None = None,
        export_dir: Path | None = None,
        *,
        read_policy: ReadPolicy | None = None,
        offline: bool = False,
        cache_only: CacheOnlyFeed | None = None,
        background: bool = True,
    ) -> None:
        super().__init__()
        self.feed = feed
        """The feed asked for (the sample is shown instead while it cannot be listed)."""
        self.loader = DayLoader(feed)
        """The days of the feed on screen."""
        self.start_date = start_date
        """The day asked for on the command line, or None for the newest."""
        self.export_dir = export_dir
        """The folder ``s`` offers (config ``export_dir``), or None for the current folder."""
        self.read_policy = read_policy or ReadPolicy()
        """When a paper counts as read without ``r``."""
        self.offline = offline
        """True with ``--offline``: nothing is fetched, only cached data shown."""
        self.cache_only = cache_only
        """Opens the feed answering from the cache only, for indexing remote days; None for local feeds."""
        self.background = background
        """Load neighbouring days ahead and keep the search index; a screenshot needs neither."""
        self.current: DayLoad | None = None
        """The day on screen, as loaded."""
        self.listed: ListedPapers = EMPTY_LIST
        """What the list shows of it."""
        self.marks: Marks | None = None
        """Read and star marks, or None until opened (or when their database cannot be opened)."""
        self.store: DayMarks | None = None
        """The marks of the days shown, kept, and the thread that writes them; None while ``marks`` is."""
        self.day_marks: MarkSet | None = None
        """The marks of the day on screen."""
        self.index: SearchIndex | None = None
        """The search index, or None until opened (or when it cannot be)."""
        self.fallback = ""
        """Why the sample is shown instead of the feed asked for; empty when it is not."""
        self.listing_failed = ""
        """Why the feed's days could not be listed; empty once they are."""
        self.listing_note = ""
        """What to say about the list of days (an old cached copy, offline on kept days); empty when fresh."""
        self.loading_day: date | None = None
        """The day being loaded, or None."""
        self.loading_what = ""
        """What is loading when it is not a day (the list of days)."""
        self.progress_line = ""
        """The last progress line of a day being built."""
        self.indexing = ""
        """How far indexing every day has got, for the header; empty when idle."""
        self.coverage = ""
        """Which days search covers, once indexing has run."""
        self.crossing: tuple[date, str] | None = None
        """The day a step went to and what lay between (the timeline's gap), said while that day is on screen."""
        self.load_failed: tuple[date, str] | None = None
        """The day that could not be loaded and why, said until a day is shown or another load starts."""
        self._loading_since = 0.0
        self._select_after: str | None = None
        self._first_unread_after = False
        self._dwell: Timer | None = None
        self._marks_version = -1
        self._polling = False
        self._undo: list[tuple[str, list[str], bool, str]] = []
        self._kept_unread: set[str] = set()
        """Papers the user marked unread here: staying on them never reads them again, a link or r does."""
        self._search_dialog: SearchDaysDialog | None = None
        self._index_asked = False
        self._feed_search: FeedSearch | None = None

    def compose(self) -> ComposeResult:
        # The width's layout class now, not at the first resize: one restyle and layout less at start.
        width = self.app.size.width
        self.add_class(next(name for least, name in reversed(self.HORIZONTAL_BREAKPOINTS) if width >= least))
        yield DayHeader(id="day-header")
        yield StatusLine(id="status-line")
        yield FilterInput(
            placeholder="filter: words, cat:cs.LG, author:name, is:unread, is:starred", id="list-filter", compact=True
        )
        with Container(id="panes"):
            yield PaperList(id="paper-list")
            yield PaperDetail(id="paper-detail")
        yield KeyBar(getattr(self.app, "user_keymap", {}), id="key-bar")

    @property
    def paper_list(self) -> PaperList:
        return self.query_one(PaperList)

    @property
    def detail(self) -> PaperDetail:
        return self.query_one(PaperDetail)

    @property
    def paper(self) -> Paper | None:
        """The highlighted paper."""
        return self.paper_list.highlighted

    def on_mount(self) -> None:
        self.loading_what = "listing the days"
        self._loading_since = time.monotonic()
        self._show_header()
        # While the first layouts settle the list can be hidden for a moment, which would
        # hand its focus to the detail: the detail takes focus only once a day is shown.
        self.detail.can_focus = False
        self.paper_list.focus()
        # The first frame (header, loading line) is painted before any disk or network work.
        self.call_after_refresh(self._start)

    def _start(self) -> None:
        self.open_stores()
        self.open_feed()
        self.set_interval(MARKS_POLL, self._poll_marks)
        self.set_interval(1.0, self._tick)

    def on_unmount(self) -> None:
        store, self.store = self.store, None
        if store is not None:
            store.close()  # the marks still being written are written first
        elif self.marks is not None:
            self.marks.close()
        if self.index is not None:
            self.index.close()

    # -- opening the marks and the search index (off the UI thread) ----------------

    @work(thread=True, group="stores", exit_on_error=False)
    def open_stores(self) -> None:
        """Open the marks, off the UI thread: opening checks the whole file."""
        notes: list[str] = []
        marks = None
        version = -1
        try:
            marks = Marks.open()
        except MarksError as exc:
            notes.append(f"Read and star marks are off: {error_text(exc)}")
        else:
            if marks.notice:
                notes.append(plain(marks.notice))
            with contextlib.suppress(MarksError):
                version = marks.data_version()
        self.app.call_from_thread(self._marks_open, marks, version, notes)

    def _marks_open(self, marks: Marks | None, version: int, notes: list[str]) -> None:
        self.marks = marks
        self.store = DayMarks(marks) if marks is not None else None
        for note in notes:
            self.notify(note, severity="warning", markup=False)
        self._marks_version = version
        self._reload_marks()

    @work(thread=True, group="stores", exit_on_error=False)
    def open_index(self) -> None:
        """Open the search index once a day is on screen: its integrity check grows with the days indexed."""
        # Imported here, in the thread: the UI thread then finds it loaded when it makes the feed's search.
        import hotpapers_tui.daysearch  # noqa: F401
        from hotpapers_tui.library.searchindex import SearchIndex, SearchIndexError

        notes: list[str] = []
        index = None
        try:
            index = SearchIndex.open()
        except SearchIndexError as exc:
            notes.append(f"Search across days is off: {error_text(exc)}")
        else:
            if index.notice:
                notes.append(plain(index.notice))
        self.app.call_from_thread(self._index_open, index, notes)

    def _index_open(self, index: SearchIndex | None, notes: list[str]) -> None:
        self.index = index
        for note in notes:
            self.notify(note, severity="warning", markup=False)
        for loaded in self.loader.loaded_days():
            self._index_loaded(loaded)

    # -- the feed and its days ----------------------------------------------------------

    @work(exclusive=True, group="load", exit_on_error=False)
    async def open_feed(self) -> None:
        """List the feed's days (the sample's if that fails) and show the start day."""
        self._set_loading(None, "listing the days")
        feed = self.feed
        loader = DayLoader(feed)
        try:
            await loader.list_days()
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            why, _ = listing_failure(feed.name, exc, offline=self.offline)
            loader = await self._fall_back(why, "Cannot list the days")
        else:
            self.listing_failed = self.fallback = ""
            note = listing_note(feed)
            # An old copy of the list, or live days kept from before: said for as long as the reader runs.
            self.listing_note = plain(note) if note else ""
            if note:
                self.notify(note, severity="warning", markup=False, timeout=10)
        self.loader = loader
        self.current, self.listed = None, EMPTY_LIST
        plan = loader.start_plan(self.start_date)
        if plan is None:
            self._set_loading(None)
            self.paper_list.show_message(f"{loader.feed.name} has no days yet.")
            self.notify(f"{loader.feed.name} has no days yet.", severity="warning", markup=False)
            return
        if plan.notice:
            self.notify(plan.notice, markup=False)
        # The days tried before one loads are said once, not in a notification each.
        failed: list[tuple[date, Exception]] = []
        for candidate in plan.candidates:
            error = await self._load(candidate, quiet=True)
            if error is None:
                if failed:
                    day, first = failed[0]
                    tried = f"{day.isoformat()} not loaded ({error_text(first)})"
                    more = f" nor {plural(len(failed) - 1, 'earlier day')}" if len(failed) > 1 else ""
                    self.notify(f"{tried}{more}; showing {candidate.isoformat()}.", severity="warning", markup=False)
                return
            failed.append((candidate, error))
        if loader.feed is not self.feed or not failed:
            self._set_loading(None)
            self.paper_list.show_message("Could not load a day (R tries again).")
            return
        # Not one day of the feed loads (no network and nothing kept, or every post broken): the
        # sample instead, as when the days cannot be listed, and R tries the feed again.
        _, last = failed[-1]
        why, network = listing_failure(feed.name, last, offline=self.offline)
        if not network:
            why = f"no day of '{feed.name}' could be loaded ({error_text(last)})"
        self.loader = await self._fall_back(why, "Cannot load a day")
        self.current, self.listed, self.load_failed = None, EMPTY_LIST, None
        plan = self.loader.start_plan(None)
        for candidate in plan.candidates if plan is not None else ():
            if await self._load(candidate) is None:
                return
        self._set_loading(None)

    async def _fall_back(self, why: str, title: str) -> DayLoader:
        """The sample's days, with why the feed asked for is not shown (said in the header until R brings it)."""
        self.listing_failed = why
        loader = DayLoader(sample_feed())
        await loader.list_days()
        self.fallback = f"{why}; {FALLBACK}"
        self.notify(f"{why}; {FALLBACK}.", title=title, severity="warning", markup=False)
        return loader

    @work(exclusive=True, group="load", exit_on_error=False)
    async def load_day(self, day: date, refresh: bool = False) -> None:
        """Load ``day`` and show it; a newer request cancels this one."""
        await self._load(day, refresh=refresh)

    async def _load(self, day: date, *, refresh: bool = False, quiet: bool = False) -> Exception | None:
        """Load and show ``day``: None when shown, else the error, said in the status line and (unless
        ``quiet``) a notification, while the day on screen stays."""
        self._set_loading(day)

        def progress(line: str) -> None:
            # Builds of live days report each source as it answers; loads run on the UI's loop.
            if self.loading_day == day:
                self.progress_line = f"building {day.isoformat()}: {plain(line)}"
                self._show_header()

        try:
            loaded = await self.loader.load(day, refresh=refresh, progress=progress)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            self._set_loading(None)
            # Said in the status line too: the notification goes after a few seconds, the cause does not.
            self.load_failed = (day, error_text(exc))
            self._show_header()
            if not quiet:
                self.notify(error_text(exc), title=f"Cannot load {day.isoformat()}", severity="error", markup=False)
            return exc
        self._set_loading(None)
        self._select_after = self._select_after or (self.paper.arxiv_id if refresh and self.paper else None)
        self._show(day, loaded)
        # Indexed for F once painted (prefetched days are indexed as they load).
        self.call_after_refresh(self._index_loaded, loaded)
        if refresh:
            self.notify(f"Refreshed {day.isoformat()}.", markup=False)
        return None

    def _set_loading(self, day: date | None, what: str = "") -> None:
        self.loading_day, self.loading_what, self.progress_line = day, what, ""
        if day is not None:
            self.load_failed = None
        self._loading_since = time.monotonic()
        self._show_header()

    def go_to(self, day: date) -> None:
        """Show ``day``: at once when it is in memory, else through a loading worker."""
        self.crossing = None
        cached = self.loader.cached(day)
        if cached is not None:
            self.workers.cancel_group(self, "load")
            self.loading_day = None
            self._show(day, cached)
            return
        self._set_loading(day)
        self.load_day(day)

    def _show(self, day: date, loaded: DayLoad) -> None:
        self.current = loaded
        self.load_failed = None
        if self.day == day:
            self.watch_day(day)
        else:
            self.day = day

    def watch_day(self, day: date | None) -> None:
        """Put the day on screen: its marks, its list (back on the paper last read there), its neighbours."""
        if day is None or self.current is None:
            return
        self.detail.can_focus = True
        if self.focused is None:
            self.paper_list.focus()
        self._load_day_marks()
        select = self._select_after or self.loader.place(day)
        self._select_after = None
        self._relist(select=select)
        if self._first_unread_after:
            self._first_unread_after = False
            self._to_first_unread()
        # Once the day is painted: the search index and the neighbouring days must not delay its frame.
        self.call_after_refresh(self._after_shown, day)

    def _after_shown(self, day: date) -> None:
        if not self.background or self.day != day:
            return
        if self.index is None and not self._index_asked:
            self._index_asked = True
            self.open_index()
        neighbours = self.loader.to_prefetch(day)
        if neighbours:
            self.prefetch(neighbours)

    @work(group="prefetch", exit_on_error=False)
    async def prefetch(self, days: list[date]) -> None:
        """Load neighbouring days ahead of need; failures stay silent (the user has not asked yet)."""
        for day in days:
            if self.loader.is_cached(day):
                continue
            try:
                loaded = await self.loader.load(day)
            except asyncio.CancelledError:
                raise
            except Exception:
                continue
            self._index_loaded(loaded)
            self._prefetch_marks(loaded)

    def _prefetch_marks(self, loaded: DayLoad) -> None:
        """Read a neighbouring day's marks in the store's thread, so switching to it asks the store nothing."""
        if self.store is None:
            return
        day = loaded.day
        ids = frozenset(p.arxiv_id for p in day.papers)

        def kept(done: Future[MarkSet]) -> None:
            if self.store is not None and done.exception() is None:
                self.store.keep(day.key, ids, done.result())

        self._when_done(self.store.submit(lambda marks: marks.marks_for(ids)), kept)

    # -- what the list shows ------------------------------------------------------------

    def _relist(self, *, select: str | None = None) -> None:
        """List the day's papers through the filter and sort, keeping ``select`` (or the highlighted paper)."""
        if self.current is None:
            return
        day = self.current.day
        if select is None and self.paper is not None:
            select = self.paper.arxiv_id
        self.listed = list_papers(day.papers, parse_query(self.filter_text), self.sort_key, self.day_marks)
        empty = "No papers on this day." if not day.papers else "No paper matches the filter (escape clears it)."
        self.paper_list.show(self.listed, self.day_marks, day_key=day.key, select=select, empty_text=empty)
        # Now, not when the list's message arrives: the detail then joins the list's frame.
        self.detail.show_paper(self.paper_list.highlighted, empty)
        self._show_header()

    def watch_sort_key(self) -> None:
        self._relist()

    def watch_filter_text(self) -> None:
        self._relist()

    @on(PaperList.PaperHighlighted)
    def follow_cursor(self, event: PaperList.PaperHighlighted) -> None:
        paper = event.paper
        empty = self.paper_list.empty_text if self.current is not None else ""
        self.detail.show_paper(paper, empty)
        if paper is not None and self.day is not None:
            self.loader.set_place(self.day, paper.arxiv_id)
        self._start_dwell(paper if event.by_user else None)

    @on(PaperList.PaperChosen)
    def chosen(self, event: PaperList.PaperChosen) -> None:
        self.action_show_detail()

    # -- the header and the status line -------------------------------------------------

    def _show_header(self) -> None:
        if not self.is_mounted:
            return
        feed_name = self.loader.feed.name
        badges: list[Badge] = []
        notes: list[str] = []
        warning = False
        current = self.current
        if current is not None:
            badges = day_badges(feed_name, current, self.loader.position(current.day.date), len(self.loader.days))
            if self.day_marks is not None:
                unread = sum(not self.day_marks.is_read(p.arxiv_id) for p in current.day.papers)
                badges.append(Badge(f"{unread} unread", "$accent"))
        else:
            badges = [Badge(short_name(feed_name), "bold $accent", essential=True)]
        if self.loading_day is not None or self.loading_what:
            what = f"loading {self.loading_day.isoformat()}" if self.loading_day else self.loading_what
            seconds = int(time.monotonic() - self._loading_since)
            badges.append(Badge(f"{what}... {seconds} s" if seconds >= 1 else f"{what}...", "$warning"))
            if seconds >= SLOW:
                notes.append("no answer yet; still trying (escape cancels)")
        offline_why = self.fallback or self._offline_note() or self.listing_note
        if offline_why:
            badges.append(Badge(self._offline_state(offline_why), "bold $warning", essential=True))
            notes.append(offline_why)
            warning = True
        if self.sort_key != "score":
            badges.append(Badge(f"sort: {self.sort_key}", "$text-muted"))
        if self.filter_text.strip() and current is not None:
            badges.append(Badge(f"filter: {len(self.listed.papers)}/{len(current.day.papers)}", "$text-muted"))
        if self.indexing:
            badges.append(Badge(self.indexing, "$text-muted"))
        if self.progress_line:
            notes.append(self.progress_line)
        if self.load_failed is not None:
            failed, why = self.load_failed
            # The key first: on a narrow line the cause is what gets cut.
            retry = "" if self.offline else " (R tries again)"
            notes.append(f"{failed.isoformat()} not loaded{retry}: {why}")
            warning = True
        full = list(notes)
        if self.crossing is not None and self.crossing[0] == self._base_day():
            notes.append(first_sentence(self.crossing[1]))
            full.append(self.crossing[1])
        if current is not None and current.note and current.note != offline_why:
            notes.append(plain(current.note))
            full.append(plain(current.note))
        overflow = [b.text for b in self.query_one(DayHeader).show(badges)]
        # The line shows what fits; hovering it shows every note whole.
        self.query_one(StatusLine).say(overflow + notes, warning=warning, whole=overflow + full)

    def _offline_state(self, why: str) -> str:
        """The header's word for why the feed is not as asked: true to what R can do about it.

        With ``--offline`` nothing is fetched, so R cannot bring the network back: the header
        says the user asked for it. When the network failed, R tries it again.
        """
        network = "offline" in why
        if not network:
            return "feed failed, R retries" if self.fallback else "feed failed"
        if self.offline:
            return "offline (--offline)"
        current = self.current
        return "offline, R retries" if self.fallback or (current is not None and current.stale) else "offline"

    def _offline_note(self) -> str:
        current = self.current
        if current is not None and current.stale:
            if current.note:
                return plain(current.note)
            since = f" from {current.fetched_at:%Y-%m-%d %H:%M}" if current.fetched_at else ""
            return f"offline: showing data{since}"
        if self.offline:
            return "offline (--offline): cached data only"
        return ""

    def _tick(self) -> None:
        if self.loading_day is not None or self.loading_what:
            self._show_header()

    def on_resize(self) -> None:
        self._show_header()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """No worker ends in silence: an unexpected error is said, and a load it was running stops showing."""
        if event.state != WorkerState.ERROR:
            return
        worker = event.worker
        if worker.group == "load":
            self._set_loading(None)
            if self.current is None:
                self.paper_list.show_message("Could not open the feed (R tries again).")
        error = worker.error or RuntimeError("unknown error")
        self.notify(error_text(error), title="Something went wrong", severity="error", markup=False)

    # -- day navigation -----------------------------------------------------------------

    def _base_day(self) -> date | None:
        return self.loading_day or self.day

    def _step(self, offset: int) -> None:
        if not self.loader.days:
            return
        base = self._base_day()
        target = self.loader.step(base, offset)
        if target is None:
            self.notify("This is the newest day." if offset > 0 else "This is the oldest day.", markup=False)
            return
        self._move_to(target)

    def _move_to(self, target: date) -> None:
        """Go to ``target`` as the user asked, saying what lies between (the timeline's gap) when it is crossed."""
        base = self._base_day()
        note = None
        if base is not None and base != target:
            neighbour = self.loader.step(base, 1 if target > base else -1) == target
            note = (step_note if neighbour else jump_note)(self.loader.feed, base, target)
        self.go_to(target)
        if note:
            # A notification can be missed: the note also stays in the status line while that day is on screen.
            self.crossing = (target, plain(note))
            self._show_header()
            self.notify(note, markup=False, timeout=10)

    def action_next_day(self) -> None:
        self._step(1)

    def action_prev_day(self) -> None:
        self._step(-1)

    def action_oldest_day(self) -> None:
        if self.loader.days:
            self._move_to(self.loader.days[0])

    def action_newest_day(self) -> None:
        if self.loader.days:
            self._move_to(self.loader.days[-1])

    def action_refresh(self) -> None:
        if self.fallback or self.listing_failed or (self.current is None and self.loading_day is None):
            # With --offline the cache is all there is: R looks in it again (another program may have filled it).
            again = "in the cache (--offline) " if self.offline else ""
            self.notify(f"Listing the days of {self.feed.name} {again}again...", markup=False)
            self.open_feed()
            return
        if self.load_failed is not None:
            # The day that failed is the one the user was going to: try it again, not the one on screen.
            failed = self.load_failed[0]
            self._set_loading(failed)
            self.load_day(failed)
            return
        if self.current is not None:
            self._set_loading(self.current.day.date)
            self.load_day(self.current.day.date, refresh=True)

    def action_goto_date(self) -> None:
        from hotpapers_tui.ui.dialogs.goto_date import GotoDateDialog

        days = self.loader.days
        first = days[0] if days else None
        last = days[-1] if days else None
        self.app.push_screen(GotoDateDialog(self.day, first, last), self._goto_chosen)

    def _goto_chosen(self, wanted: date | None) -> None:
        if wanted is None or not self.loader.days:
            return
        found = self.loader.nearest(wanted)
        if found is None:
            oldest = self.loader.days[0].isoformat()
            message = f"No day on or before {wanted.isoformat()}: the oldest is {oldest}."
            self.notify(message, severity="warning", markup=False)
            return
        if found != wanted:
            self.notify(f"No post for {wanted.isoformat()}; showing {found.isoformat()}.", markup=False)
        self._move_to(found)

    # -- reading the detail -------------------------------------------------------------

    def _detail_visible(self) -> bool:
        return not self.has_class("-narrow") or self.has_class("detail-open")

    def action_show_detail(self) -> None:
        if self.paper is None:
            return
        if self.has_class("-narrow"):
            self.add_class("detail-open")
        self.detail.focus()
        self._reading()

    def action_hide_detail(self) -> None:
        """Escape: back to the list, else stop a loading day, else clear the filter."""
        if self.has_class("detail-open"):
            self.remove_class("detail-open")
            self.paper_list.focus()
        elif self.focused is self.detail:
            self.paper_list.focus()
        elif self.loading_day is not None or self.loading_what:
            self.workers.cancel_group(self, "load")
            what = f"loading {self.loading_day.isoformat()}" if self.loading_day else self.loading_what
            self._set_loading(None)
            if self.current is None:
                self.paper_list.show_message("Stopped (R tries again).")
            self.notify(f"Stopped {what}.", markup=False)
        elif self.filter_text or self.query_one(FilterInput).display:
            # An empty filter line left open (enter or down on it) is closed too.
            self._close_filter()

    def action_detail_page_down(self) -> None:
        if not self._detail_visible():
            self.action_show_detail()
            return
        self.detail.page_down()
        self._reading()

    def action_detail_page_up(self) -> None:
        if self._detail_visible():
            self.detail.page_up()
            self._reading()

    # -- links --------------------------------------------------------------------------

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
            self._set_read(paper)

    def action_open_abs(self) -> None:
        if (paper := self.paper) is not None:
            self._open(paper.abs_url, "abstract link")

    def action_open_pdf(self) -> None:
        if (paper := self.paper) is not None:
            self._open(paper.pdf_url, "PDF link")

    def action_open_tweet(self) -> None:
        self.action_open_post(0)

    def action_open_post(self, index: int) -> None:
        if (paper := self.paper) is not None:
            tweets = paper.tweets
            self._open(tweets[index].url if 0 <= index < len(tweets) else "", "post")

    def action_copy_abs(self) -> None:
        if (paper := self.paper) is None:
            return
        if not openable(paper.abs_url):
            why = refusal(paper.abs_url, hosts=ALLOWED_HOSTS) or "not a web link"
            self.notify(f"Not copying {plain(paper.abs_url)!r}: {plain(why)}", severity="warning", markup=False)
            return
        self.app.copy_to_clipboard(paper.abs_url)
        self.notify(f"Copied {plain(paper.abs_url)}\n{shown_title(paper.title)}", markup=False)

    # -- marks --------------------------------------------------------------------------

    def _when_done(self, future: Future[T], callback: Callable[[Future[T]], None]) -> None:
        """Run ``callback`` on the UI's loop once the store's thread has finished ``future``."""
        loop = asyncio.get_running_loop()

        def done(finished: Future[T]) -> None:
            with contextlib.suppress(RuntimeError):  # the loop has closed: the reader is gone
                loop.call_soon_threadsafe(callback, finished)

        future.add_done_callback(done)

    def _load_day_marks(self) -> None:
        """The marks of the day on screen alone: kept from an earlier visit, else one query."""
        if self.store is None or self.current is None:
            self.day_marks = None
            return
        day = self.current.day
        try:
            self.day_marks = self.store.lookup(day.key, (p.arxiv_id for p in day.papers))
        except MarksError as exc:
            self.notify(error_text(exc), severity="warning", markup=False)

    def _reload_marks(self) -> None:
        """Show the marks as they are now: one row redrawn per changed mark, the whole list only under is: filters."""
        self._load_day_marks()
        if parse_query(self.filter_text).needs_marks:
            self._relist()
        else:
            self.paper_list.set_marks(self.day_marks)
            self._show_header()

    def _poll_marks(self) -> None:
        """Marks changed by another program (the CLI, a second reader) show within a poll; asked off the UI thread."""
        if self.store is None or self._polling:
            return
        self._polling = True
        known = self._marks_version
        current = self.current.day if self.current is not None else None
        ids = frozenset(p.arxiv_id for p in current.papers) if current is not None else frozenset()

        def poll(marks: Marks) -> tuple[int, MarkSet | None]:
            version = marks.data_version()
            return version, (marks.marks_for(ids) if version != known and ids else None)

        def polled(done: Future[tuple[int, MarkSet | None]]) -> None:
            self._polling = False
            if self.store is None or done.exception() is not None:
                return
            version, fresh = done.result()
            if version == self._marks_version:
                return
            self._marks_version = version
            self.store.forget()
            if fresh is not None and current is not None:
                self.store.keep(current.key, ids, fresh)
            self._reload_marks()

        self._when_done(self.store.submit(poll), polled)

    def _remember_undo(self, kind: str, ids: list[str], value: bool, what: str) -> None:
        if ids:
            self._undo.append((kind, ids, value, what))
            del self._undo[:-UNDO_DEPTH]

    def _change_marks(
        self, ids: list[str], job: Callable[[Marks], object], *, read: bool | None = None, starred: bool | None = None
    ) -> None:
        """Show a change of marks at once (one row each) and write it in the store's thread."""
        if self.store is None or not ids:
            return
        change, future = self.store.change(ids, job, read=read, starred=starred)
        self._reload_marks()

        def written(done: Future[object]) -> None:
            if self.store is None:
                return
            self.store.written(change)
            error = done.exception()
            if error is not None:
                # Not kept: what the store holds is shown again, and why.
                self.notify(error_text(error), severity="warning", markup=False)
                self.store.forget()
                self._reload_marks()

        self._when_done(future, written)

    def _set_read_marks(self, ids: list[str], read: bool) -> None:
        self._change_marks(ids, lambda marks: marks.set_read_many(ids, read), read=read)

    def _set_read(self, paper: Paper) -> None:
        self._kept_unread.discard(paper.arxiv_id)
        if self.day_marks is None or self.day_marks.is_read(paper.arxiv_id):
            return
        self._remember_undo("read", [paper.arxiv_id], True, "read mark")
        self._set_read_marks([paper.arxiv_id], True)

    def _stop_dwell(self) -> None:
        """Forget the paper waiting to become read: the user has said what its mark is, or moved on."""
        if self._dwell is not None:
            self._dwell.stop()
            self._dwell = None

    def _start_dwell(self, paper: Paper | None) -> None:
        """A paper the user moved to and stayed on becomes read; the cursor placed by a load, filter or sort: never."""
        self._stop_dwell()
        if paper is None or self.store is None or self.read_policy.after_shown is None:
            return
        arxiv_id = paper.arxiv_id
        if arxiv_id in self._kept_unread:
            return

        def stayed() -> None:
            self._dwell = None
            if (still := self.paper) is not None and still.arxiv_id == arxiv_id:
                self._set_read(still)

        self._dwell = self.set_timer(self.read_policy.after_shown, stayed)

    def _reading(self) -> None:
        """Entering or paging the detail is reading the paper: it counts as staying on it, unless already counting."""
        if self._dwell is None:
            self._start_dwell(self.paper)

    def _keep_unread(self, ids: list[str], read: bool) -> None:
        if read:
            self._kept_unread.difference_update(ids)
        else:
            self._kept_unread.update(ids)

    def action_toggle_read(self) -> None:
        if (paper := self.paper) is None or self.day_marks is None:
            return
        # The user's r decides: a dwell still counting must not mark read what they just marked unread.
        self._stop_dwell()
        read = not self.day_marks.is_read(paper.arxiv_id)
        self._keep_unread([paper.arxiv_id], read)
        self._remember_undo("read", [paper.arxiv_id], read, "read mark")
        self._set_read_marks([paper.arxiv_id], read)
        self.notify(f"{'Read' if read else 'Unread'}: {shown_title(paper.title)}", markup=False)

    def action_toggle_star(self) -> None:
        if (paper := self.paper) is None or self.day_marks is None or self.current is None:
            return
        starred = not self.day_marks.is_starred(paper.arxiv_id)
        listed = self.current.day.date
        self._remember_undo("star", [paper.arxiv_id], starred, "star")
        # The paper itself is stored: the starred list and BibTeX then need no network.
        self._change_marks(
            [paper.arxiv_id], lambda marks: marks.set_starred(paper, starred, listed=listed), starred=starred
        )
        self.notify(f"{'Starred' if starred else 'Unstarred'}: {shown_title(paper.title)}", markup=False)

    def action_mark_day_read(self) -> None:
        if self.day_marks is None or self.current is None:
            return
        self._stop_dwell()
        marks = self.day_marks
        changed = list(dict.fromkeys(p.arxiv_id for p in self.listed.papers if not marks.is_read(p.arxiv_id)))
        if not changed:
            self.notify("Every paper listed is read already.", markup=False)
            return
        self._remember_undo("read", changed, True, plural(len(changed), "read mark"))
        self._set_read_marks(changed, True)
        self.notify(f"Marked {plural(len(changed), 'paper')} read; u undoes.", markup=False)

    def action_undo(self) -> None:
        if self.store is None or not self._undo:
            self.notify("Nothing to undo.", markup=False)
            return
        kind, ids, value, what = self._undo.pop()
        # Undoing a read mark leaves the paper unread: a dwell still counting must not read it again.
        self._stop_dwell()
        if kind == "read":
            self._keep_unread(ids, not value)
            self._set_read_marks(ids, not value)
        else:

            def unstar(marks: Marks) -> None:
                for arxiv_id in ids:
                    marks.set_starred(arxiv_id, not value)

            self._change_marks(ids, unstar, starred=not value)
        self.notify(f"Undone: {what}.", markup=False)

    def action_next_unread(self) -> None:
        if self.day_marks is None or self.current is None:
            self.notify("Read marks are not available.", markup=False)
            return
        row = next_unread(self.listed.papers, self.day_marks, self.paper_list.cursor)
        if row is not None:
            self.paper_list.move_to(row)
            return
        target = self.loader.step(self._base_day(), 1)
        if target is None:
            self.notify("No unread paper left here, and this is the newest day.", markup=False)
            return
        self._first_unread_after = True
        self._move_to(target)

    def _to_first_unread(self) -> None:
        if self.day_marks is None:
            return
        row = next_unread(self.listed.papers, self.day_marks, -1)
        if row is None:
            self.notify(f"Every paper of {self.day} is read; n goes on to the next day.", markup=False)
        else:
            self.paper_list.move_to(row)

    # -- sort and filter ----------------------------------------------------------------

    def action_cycle_sort(self) -> None:
        self.sort_key = next_sort_key(self.sort_key)
        self.notify(f"Sorted by {self.sort_key}", markup=False)

    def action_filter(self) -> None:
        box = self.query_one(FilterInput)
        box.add_class("-shown")
        # A widget still hidden cannot take focus: wait until the line is laid out.
        self.call_after_refresh(box.focus)

    @on(Input.Changed, "#list-filter")
    def filter_changed(self, event: Input.Changed) -> None:
        self.filter_text = event.value

    @on(Input.Submitted, "#list-filter")
    def filter_done(self, event: Input.Submitted) -> None:
        self.paper_list.focus()

    @on(FilterInput.Left)
    def filter_left(self, event: FilterInput.Left) -> None:
        self.paper_list.focus()

    @on(FilterInput.Closed)
    def filter_closed(self, event: FilterInput.Closed) -> None:
        self._close_filter()

    def _close_filter(self) -> None:
        box = self.query_one(FilterInput)
        box.value = ""
        box.remove_class("-shown")
        self.filter_text = ""
        self.paper_list.focus()

    # -- saving -------------------------------------------------------------------------

    def _default_path(self, name: str) -> Path:
        # The export folder from the config, else the current folder: shown whole in the dialog.
        return (self.export_dir.expanduser() if self.export_dir is not None else Path.cwd()) / name

    def action_save_post(self) -> None:
        from hotpapers_tui.ui.dialogs.save_post import SavePostDialog

        if self.current is None:
            self.notify("No day to save yet.", severity="warning", markup=False)
            return
        day = self.current.day
        self._write_asking(SavePostDialog(self._default_path(day.filename), day.key), day, None)

    @work(exclusive=True, group="save", exit_on_error=False, description="save")
    async def _write_asking(self, dialog: SavePostDialog, day: Day | None, text: str | None) -> None:
        """Ask where (``dialog``), ask before replacing, then write ``day`` as a post or ``text`` atomically."""
        from hotpapers_tui.export import ExportError, save_post, write_text_atomic
        from hotpapers_tui.ui.dialogs.confirm import ConfirmDialog

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
                day = await export_ready(self.loader.feed, day)
                written = await asyncio.to_thread(save_post, day, path, overwrite=replace)
            else:
                written = await asyncio.to_thread(write_text_atomic, path, text or "", overwrite=replace)
        except ExportError as exc:
            self.notify(error_text(exc), title="Not saved", severity="error", markup=False)
            return
        self.notify(f"Saved {written.absolute()}", markup=False)

    def action_bibtex_day(self) -> None:
        from hotpapers_tui.library.bibtex import to_bibtex
        from hotpapers_tui.ui.dialogs.save_post import SavePostDialog

        if self.current is None:
            self.notify("No day to export yet.", severity="warning", markup=False)
            return
        day = self.current.day
        text = to_bibtex(day.papers, listed=day.date)
        what = f"day {day.key} ({plural(len(day.papers), 'paper')})"
        dialog = SavePostDialog(self._default_path(f"hot-papers-{day.key}.bib"), what, title=f"Export {what} as BibTeX")
        self._write_asking(dialog, None, text)

    def action_bibtex_starred(self) -> None:
        from hotpapers_tui.library.bibtex import to_bibtex
        from hotpapers_tui.ui.dialogs.save_post import SavePostDialog

        if self.marks is None:
            self.notify("Read and star marks are off: nothing is starred.", severity="warning", markup=False)
            return
        # After the writes still queued (a star set a moment ago), in the store's own thread.
        starred = self.store.submit(lambda marks: marks.starred()).result() if self.store else self.marks.starred()
        if not starred:
            self.notify("No starred papers yet: star one with *.", severity="warning", markup=False)
            return
        what = plural(len(starred), "starred paper")
        dialog = SavePostDialog(self._default_path("starred.bib"), what, title=f"Export {what} as BibTeX")
        self._write_asking(dialog, None, to_bibtex(starred))

    # -- search across days ---------------------------------------------------------------

    def _search(self) -> FeedSearch | None:
        """Search over the feed on screen, once the index is open."""
        from hotpapers_tui.daysearch import FeedSearch

        if self.index is None:
            return None
        feed = self.loader.feed
        if self._feed_search is None or self._feed_search.feed is not feed:
            self._feed_search = FeedSearch(self.index, feed, cache_only=self.cache_only if feed is self.feed else None)
        return self._feed_search

    def _index_loaded(self, loaded: DayLoad) -> None:
        """Keep a loaded day in the search index (in a thread), so F finds it."""
        if self.index is None:
            return  # the days loaded before it opened are indexed when it does
        search = self._search()
        if search is not None:
            self._put_day(search, loaded)

    # A description of its own: Textual would otherwise describe the worker by the repr of a whole day.
    @work(thread=True, group="index-day", exit_on_error=False, description="index a loaded day")
    def _put_day(self, search: FeedSearch, loaded: DayLoad) -> None:
        search.put(loaded)

    def action_search_days(self) -> None:
        from hotpapers_tui.ui.dialogs.search_days import SearchDaysDialog

        search = self._search()
        if search is None:
            what = "still opening" if self.workers_in("stores") else "not available"
            self.notify(f"The search index is {what}.", severity="warning", markup=False)
            return
        marks = self.marks
        coverage = self.coverage or f"Indexing the {plural(len(self.loader.days), 'day')} of {search.feed.name}..."
        self._search_dialog = SearchDaysDialog(lambda text: search.search(text, marks), coverage)
        self.app.push_screen(self._search_dialog, self._jump_to_hit)
        if not self.workers_in("index-all"):
            self.index_all_days(search)

    def workers_in(self, group: str) -> bool:
        return any(w.group == group and not w.is_finished for w in self.workers)

    @work(thread=True, exclusive=True, group="index-all", exit_on_error=False, description="index every day")
    def index_all_days(self, search: FeedSearch) -> None:
        """Index every day of the feed not indexed yet; remote days only from the cache, never fetched."""
        worker = get_current_worker()

        def progress(done: int, total: int) -> None:
            self.app.call_from_thread(self._index_progress, done, total)

        days, loaded = list(self.loader.days), self.loader.loaded_days()
        coverage = search.index_all(days, loaded, progress=progress, stop=lambda: worker.is_cancelled)
        if not worker.is_cancelled:
            self.app.call_from_thread(self._index_done, coverage)

    def _index_progress(self, done: int, total: int) -> None:
        self.indexing = f"indexing {done}/{total}" if done < total else ""
        self._show_header()
        if self._search_dialog is not None and self._search_dialog.is_attached:
            self._search_dialog.set_coverage(f"Indexing the days of {self.loader.feed.name}: {done} of {total}...")

    def _index_done(self, coverage: Coverage) -> None:
        self.indexing = ""
        self.coverage = coverage.text
        self._show_header()
        if self._search_dialog is not None and self._search_dialog.is_attached:
            self._search_dialog.set_coverage(self.coverage, again=coverage.indexed > 0)

    def _jump_to_hit(self, hit: Hit | None) -> None:
        self._search_dialog = None
        if hit is None:
            return
        if self.current is not None and self.current.day.date == hit.date:
            self._relist(select=hit.arxiv_id)
            return
        self._select_after = hit.arxiv_id
        self._move_to(hit.date)

    # -- help -----------------------------------------------------------------------------

    def action_help(self) -> None:
        from hotpapers_tui.ui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(getattr(self.app, "user_keymap", {})))
