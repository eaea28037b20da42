"""The reader's plain day loader and list logic, without Textual."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Sequence
from datetime import date
from typing import Any

import pytest

from hotpapers_tui.dayloader import DayLoader, list_papers, next_unread
from hotpapers_tui.feeds.base import DayLoad, FeedError
from hotpapers_tui.library.marks import MarkSet
from hotpapers_tui.library.query import parse_query
from tests.ui.postgen import make_day, make_paper

DAYS = [date(2024, 5, 6), date(2024, 5, 7), date(2024, 5, 9)]


class CountingFeed:
    """Days in memory; counts loads per day; ``broken`` days raise FeedError."""

    name = "memory"

    def __init__(self, *, prefetch: bool = True) -> None:
        self.loads: list[date] = []
        self.broken: set[date] = set()
        self.prefetch = prefetch

    async def days(self) -> Sequence[date]:
        return list(reversed(DAYS))  # any order: the loader sorts

    async def load(self, day: date, *, refresh: bool = False, progress: Any = None) -> DayLoad:
        self.loads.append(day)
        if day in self.broken:
            raise FeedError(f"no post for {day}")
        return DayLoad(make_day(day, 4))

    async def aclose(self) -> None:
        return None


def test_the_modules_never_import_textual() -> None:
    code = (
        "import sys, hotpapers_tui.dayloader, hotpapers_tui.daysearch\n"
        "print(any(m.split('.')[0] == 'textual' for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


async def test_days_are_listed_in_order_and_positions_and_steps_follow_them() -> None:
    loader = DayLoader(CountingFeed())
    assert await loader.list_days() == DAYS and loader.listed
    assert [loader.position(d) for d in DAYS] == [1, 2, 3] and loader.position(date(2024, 5, 8)) == 0
    assert loader.step(DAYS[0], 1) == DAYS[1] and loader.step(DAYS[0], -1) is None
    assert loader.step(DAYS[2], 1) is None and loader.step(None, 1) == DAYS[2]
    # From a day the feed does not list, the step goes to the nearest listed day on that side.
    assert loader.step(date(2024, 5, 8), 1) == DAYS[2] and loader.step(date(2024, 5, 8), -1) == DAYS[1]


async def test_the_start_plan_falls_back_to_earlier_days_and_says_why() -> None:
    loader = DayLoader(CountingFeed())
    assert loader.start_plan(None) is None, "no days listed yet"
    await loader.list_days()
    plan = loader.start_plan(None)
    assert plan is not None and plan.candidates == (DAYS[2], DAYS[1], DAYS[0]) and plan.notice is None
    plan = loader.start_plan(date(2024, 5, 8))
    assert plan is not None and plan.candidates[0] == DAYS[1]
    assert plan.notice == "No post for 2024-05-08; showing the nearest earlier day, 2024-05-07."
    plan = loader.start_plan(date(2020, 1, 1))
    assert plan is not None and plan.candidates == (DAYS[0],) and "the oldest day" in (plan.notice or "")
    assert loader.start_plan(None, attempts=2) is not None
    assert loader.start_plan(None, attempts=2).candidates == (DAYS[2], DAYS[1])  # type: ignore[union-attr]


async def test_loads_go_through_a_small_cache_and_refresh_skips_it() -> None:
    feed = CountingFeed()
    loader = DayLoader(feed, capacity=2)
    await loader.list_days()
    first = await loader.load(DAYS[0])
    assert await loader.load(DAYS[0]) is first and feed.loads == [DAYS[0]]
    await loader.load(DAYS[0], refresh=True)
    assert feed.loads == [DAYS[0], DAYS[0]]
    await loader.load(DAYS[1])
    await loader.load(DAYS[2])
    assert not loader.is_cached(DAYS[0]), "the least recently used day goes past the capacity"
    assert loader.cached(DAYS[1]) is not None and len(loader.loaded_days()) == 2
    feed.broken = {DAYS[0]}
    with pytest.raises(FeedError):
        await loader.load(DAYS[0])
    assert not loader.is_cached(DAYS[0])
    loader.clear()
    assert loader.loaded_days() == []


async def test_prefetch_asks_only_for_neighbours_not_in_memory_and_never_for_costly_feeds() -> None:
    loader = DayLoader(CountingFeed())
    await loader.list_days()
    assert loader.to_prefetch(DAYS[1]) == [DAYS[2], DAYS[0]]
    await loader.load(DAYS[2])
    assert loader.to_prefetch(DAYS[1]) == [DAYS[0]]
    assert loader.to_prefetch(DAYS[0]) == [DAYS[1]]
    costly = DayLoader(CountingFeed(prefetch=False))
    await costly.list_days()
    assert costly.to_prefetch(DAYS[1]) == []


def test_the_place_is_remembered_per_day() -> None:
    loader = DayLoader(CountingFeed())
    assert loader.place(DAYS[0]) is None
    loader.set_place(DAYS[0], "2405.1")
    loader.set_place(DAYS[1], "2405.2")
    loader.set_place(DAYS[0], "2405.3")
    assert loader.place(DAYS[0]) == "2405.3" and loader.place(DAYS[1]) == "2405.2"


def test_list_papers_filters_sorts_and_keeps_day_ranks() -> None:
    day = DAYS[0]
    papers = make_day(day, 6).papers
    everything = list_papers(papers, parse_query(""), "score", None)
    assert everything.papers == papers and everything.ranks == (1, 2, 3, 4, 5, 6) and not everything.narrowed
    odd = list_papers(papers, parse_query("cat:cs.LG"), "score", None)  # odd papers are cs.LG
    assert odd.ranks == (1, 3, 5) and odd.narrowed and odd.total == 6
    by_title = list_papers(papers, parse_query(""), "title", None)
    assert [p.title for p in by_title.papers] == sorted(p.title for p in papers)
    assert by_title.ranks == tuple(papers.index(p) + 1 for p in by_title.papers)
    assert by_title.index_of(papers[2].arxiv_id) == by_title.papers.index(papers[2])
    assert by_title.index_of("nope") is None and by_title.index_of(None) is None
    marks = MarkSet(read=frozenset({papers[0].arxiv_id}), starred=frozenset({papers[1].arxiv_id}))
    assert list_papers(papers, parse_query("is:unread is:starred"), "score", marks).ranks == (2,)


def test_next_unread_looks_after_the_cursor() -> None:
    papers = [make_paper(DAYS[0], n) for n in range(1, 5)]
    marks = MarkSet(read=frozenset({papers[1].arxiv_id, papers[2].arxiv_id}), starred=frozenset())
    assert next_unread(papers, marks, -1) == 0
    assert next_unread(papers, marks, 0) == 3
    assert next_unread(papers, marks, 3) is None
    assert next_unread([], marks, -1) is None
