"""Searching every day of a feed for the reader: indexing what is not indexed yet, and saying what search covers.

Plain code (no Textual) that the reader runs in worker threads: every method here may
block on SQLite or on reading posts. Remote feeds are indexed only through a feed that
answers from the cache (``cache_only``), so search never sends a request.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from hotpapers_tui.dayloader import plural
from hotpapers_tui.feeds.base import DayLoad, Feed, FeedError
from hotpapers_tui.feeds.folder import FolderFeed
from hotpapers_tui.library.marks import Marks, MarksError
from hotpapers_tui.library.query import parse_query
from hotpapers_tui.library.searchindex import Hit, SearchIndex, SearchIndexError, day_source, feed_key, sync_days

RESULTS = 200
"""At most this many results per query."""


@dataclass(frozen=True, slots=True)
class Coverage:
    """How much of a feed a search covers after an indexing pass."""

    feed: str
    """The feed's name."""
    total: int
    """How many days the feed has."""
    left: int
    """How many are not indexed (-1: unknown, the pass failed)."""
    indexed: int
    """How many this pass added or refreshed."""
    local: bool
    """True for post files (days left could not be read), False for remote days (not cached yet)."""

    @property
    def text(self) -> str:
        """What the search dialog says about it."""
        if self.left < 0:
            return "Search covers the days indexed so far."
        if self.left == 0:
            days = "the one day" if self.total == 1 else f"all {plural(self.total, 'day')}"
            return f"Search covers {days} of {self.feed}."
        why = "could not be read" if self.local else "not cached yet (indexed once visited; search never fetches)"
        covered = f"{self.total - self.left} of the {plural(self.total, 'day')}"
        return f"Search covers {covered} of {self.feed}; {self.left} {why}."


class FeedSearch:
    """The search index as one feed's reader uses it."""

    def __init__(self, index: SearchIndex, feed: Feed, *, cache_only: Callable[[], Feed] | None = None) -> None:
        self.index = index
        """The shared search index."""
        self.feed = feed
        """The feed whose days are indexed and searched."""
        self.cache_only = cache_only
        """Opens the feed again answering from the cache only; None when there is no such thing."""
        self.key = feed_key(feed)
        """The name the feed's days are indexed under."""

    def put(self, loaded: DayLoad) -> bool:
        """Index a day the reader loaded; False when the index could not take it (search says what it covers)."""
        try:
            self.index.put_day(self.key, loaded.day, source=day_source(self.feed, loaded.day.date))
        except SearchIndexError:
            return False
        return True

    def index_all(
        self,
        days: Sequence[date],
        loaded: Sequence[DayLoad],
        *,
        progress: Callable[[int, int], None] | None = None,
        stop: Callable[[], bool] | None = None,
    ) -> Coverage:
        """Index the feed's ``days`` not indexed yet (post files, or remote days from the cache only).

        Without a way to read remote days from the cache, the days in memory (``loaded``)
        are all there is. Blocks: run it in a thread.
        """
        local = isinstance(self.feed, FolderFeed)
        source = self.feed if local else (self.cache_only() if self.cache_only is not None else None)

        async def run() -> tuple[int, int]:
            try:
                if source is None:
                    for day in loaded:
                        self.put(day)
                    return len(days) - len(self.index.indexed_days(self.key)), 0
                changes = await sync_days(self.index, source, days, progress=progress, stop=stop)
                return len(changes.failed), changes.indexed
            finally:
                if source is not None and source is not self.feed:
                    await source.aclose()

        try:
            left, indexed = asyncio.run(run())
        except (SearchIndexError, FeedError):
            left, indexed = -1, 0
        return Coverage(self.feed.name, len(days), left, indexed, local)

    def search(self, text: str, marks: Marks | None) -> list[Hit]:
        """The papers matching ``text`` on any indexed day, newest first; nothing when the index fails. Blocks."""
        query = parse_query(text)
        try:
            lookup = marks.snapshot() if marks is not None and query.needs_marks else None
            return self.index.search(self.key, query, limit=RESULTS, marks=lookup)
        except (SearchIndexError, MarksError):
            return []
