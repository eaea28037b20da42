"""The reader's days without the screen: listing a feed's days, loading one, keeping recent ones, and what a list shows.

Nothing here imports Textual: the reader's screen asks a :class:`DayLoader` for days and
shows what comes back, and :func:`list_papers` decides which papers a filtered, sorted
list holds. Both are tested on their own.
"""

from __future__ import annotations

import bisect
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from hotpapers_tui.feeds.base import DayLoad, Feed, Progress, nearest_on_or_before, wants_prefetch
from hotpapers_tui.library.query import MarkLookup, Query, SortKey, sort_papers
from hotpapers_tui.model import Paper

CACHED_DAYS = 32
"""How many loaded days stay in memory for instant switching."""
START_ATTEMPTS = 5
"""How many days, going back from the start day, the reader tries before giving up."""


def plural(count: int, one: str, many: str | None = None) -> str:
    """``count`` with the noun in the right number: ``1 post``, ``2 posts``."""
    return f"{count} {one if count == 1 else (many or one + 's')}"


@dataclass(frozen=True, slots=True)
class StartPlan:
    """Which day to open on, and what to tell the user about it."""

    candidates: tuple[date, ...]
    """The day to show first, then earlier ones to fall back to if it cannot be read."""
    notice: str | None = None
    """Why the day shown is not the one asked for, or None."""


class DayLoader:
    """A feed's days: the list of them, loads through a small in-memory cache, and the paper last read on each.

    A day already in memory is returned at once; ``load`` asks the feed otherwise. The
    cache keeps the ``capacity`` days used most recently.
    """

    def __init__(self, feed: Feed, *, capacity: int = CACHED_DAYS) -> None:
        self.feed = feed
        """Where the days come from."""
        self.capacity = capacity
        """How many loaded days are kept."""
        self.days: list[date] = []
        """The feed's days, oldest first (empty until :meth:`list_days` answers)."""
        self.listed = False
        """True once the feed has listed its days."""
        self._cache: OrderedDict[date, DayLoad] = OrderedDict()
        self._places: dict[date, str] = {}

    async def list_days(self) -> list[date]:
        """Ask the feed for its days (FeedError and the feed's own errors pass through)."""
        self.days = sorted(await self.feed.days())
        self.listed = True
        return self.days

    # -- where a day sits ------------------------------------------------------

    def position(self, day: date) -> int:
        """``day``'s place among the feed's days, from 1; 0 when the feed does not list it."""
        index = bisect.bisect_left(self.days, day)
        return index + 1 if index < len(self.days) and self.days[index] == day else 0

    def step(self, base: date | None, offset: int) -> date | None:
        """The day ``offset`` (-1 or +1) away from ``base``; None past either end.

        ``base`` may be a day the feed does not list: the step goes to the nearest
        listed day on that side. Without ``base`` the newest day is the start.
        """
        if not self.days:
            return None
        if base is None:
            return self.days[-1]
        index = bisect.bisect_left(self.days, base)
        if offset < 0:
            target = index - 1
        else:
            target = index + 1 if index < len(self.days) and self.days[index] == base else index
        return self.days[target] if 0 <= target < len(self.days) else None

    def nearest(self, wanted: date) -> date | None:
        """The latest listed day on or before ``wanted``."""
        return nearest_on_or_before(self.days, wanted)

    def start_plan(self, wanted: date | None, *, attempts: int = START_ATTEMPTS) -> StartPlan | None:
        """The days to try at start, newest first, for the date asked for (None: the newest); None without days."""
        if not self.days:
            return None
        notice = None
        target = self.days[-1]
        if wanted is not None:
            found = self.nearest(wanted)
            target = found if found is not None else self.days[0]
            if target != wanted:
                where = "the nearest earlier day" if found is not None else "the oldest day"
                notice = f"No post for {wanted.isoformat()}; showing {where}, {target.isoformat()}."
        index = self.days.index(target)
        earlier = self.days[max(0, index - attempts + 1) : index + 1]
        return StartPlan(tuple(reversed(earlier)), notice)

    # -- loading and the cache -------------------------------------------------

    def cached(self, day: date) -> DayLoad | None:
        """``day`` if it is in memory (it becomes the most recently used), else None."""
        loaded = self._cache.get(day)
        if loaded is not None:
            self._cache.move_to_end(day)
        return loaded

    def is_cached(self, day: date) -> bool:
        """Whether ``day`` is in memory, without touching its recency."""
        return day in self._cache

    def loaded_days(self) -> list[DayLoad]:
        """Every day in memory, least recently used first."""
        return list(self._cache.values())

    async def load(self, day: date, *, refresh: bool = False, progress: Progress | None = None) -> DayLoad:
        """``day`` from memory, or from the feed (always from the feed with ``refresh``); kept once loaded."""
        if not refresh:
            loaded = self.cached(day)
            if loaded is not None:
                return loaded
        loaded = await self.feed.load(day, refresh=refresh, progress=progress)
        self.remember(day, loaded)
        return loaded

    def remember(self, day: date, loaded: DayLoad) -> None:
        """Keep ``loaded`` as ``day``, dropping the least recently used day past the capacity."""
        self._cache[day] = loaded
        self._cache.move_to_end(day)
        while len(self._cache) > self.capacity:
            self._cache.popitem(last=False)

    def clear(self) -> None:
        """Forget every loaded day (the list of days and the places stay)."""
        self._cache.clear()

    def to_prefetch(self, day: date) -> list[date]:
        """The neighbours of ``day`` worth loading ahead: listed, not in memory, and the feed's loads are cheap."""
        if not wants_prefetch(self.feed):
            return []
        index = bisect.bisect_left(self.days, day)
        found = index < len(self.days) and self.days[index] == day
        around = (index + 1, index - 1) if found else (index, index - 1)
        return [self.days[i] for i in around if 0 <= i < len(self.days) and self.days[i] not in self._cache]

    # -- the paper last highlighted on each day ----------------------------------

    def set_place(self, day: date, arxiv_id: str) -> None:
        """Remember the paper the user was on in ``day``."""
        self._places[day] = arxiv_id

    def place(self, day: date) -> str | None:
        """The paper the user was last on in ``day``, or None."""
        return self._places.get(day)


@dataclass(frozen=True, slots=True)
class ListedPapers:
    """What the list shows of a day: its papers through the filter and the sort, with their ranks in the day."""

    papers: tuple[Paper, ...]
    """The papers shown, in list order."""
    ranks: tuple[int, ...]
    """Each shown paper's rank in the day (1 for the top paper), whatever the sort."""
    total: int
    """How many papers the day has."""

    @property
    def narrowed(self) -> bool:
        """True when the filter hides some of the day's papers."""
        return len(self.papers) != self.total

    def index_of(self, arxiv_id: str | None) -> int | None:
        """The row of the paper with ``arxiv_id``, or None when it is not shown."""
        if arxiv_id is None:
            return None
        for row, paper in enumerate(self.papers):
            if paper.arxiv_id == arxiv_id:
                return row
        return None


EMPTY_LIST = ListedPapers((), (), 0)
"""A list with nothing in it."""


def list_papers(papers: Sequence[Paper], query: Query, sort: SortKey, marks: MarkLookup | None) -> ListedPapers:
    """The day's ``papers`` (in rank order) that match ``query``, ordered by ``sort``, each with its day rank."""
    rank_of = {id(paper): rank for rank, paper in enumerate(papers, start=1)}
    shown: list[Paper] = list(papers) if query.is_empty else query.filter(papers, marks)
    if sort != "score":
        shown = sort_papers(shown, sort)
    return ListedPapers(tuple(shown), tuple(rank_of[id(paper)] for paper in shown), len(papers))


def next_unread(papers: Sequence[Paper], marks: MarkLookup, after: int) -> int | None:
    """The row of the first unread paper after row ``after`` (-1: from the top), or None."""
    for row in range(max(after + 1, 0), len(papers)):
        if not marks.is_read(papers[row].arxiv_id):
            return row
    return None
