"""A remote feed opened when its days are first asked for, its modules imported off the event loop.

The remote feeds need the HTTP client, the disk cache and (for ``live`` and ``timeline``)
the live sources: about 50 ms of imports before the reader could paint anything. The
reader is handed a :class:`DeferredFeed` instead; its first frame goes up at once, and
the imports run in a thread while the header says the days are being listed.

Until the feed is open it answers only to its name and the :class:`~feeds.base.Feed`
methods; once open, every other attribute (the optional methods of
:mod:`feeds.base`: ``step_note``, ``prefetch``, ``days_at_hand``, ...) is the real
feed's. The reader asks for nothing else before the days are listed.
"""

from __future__ import annotations

import asyncio
import importlib
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from hotpapers_tui.feeds.base import DayLoad, Feed, FeedError, Progress


def _import_all(modules: Sequence[str]) -> None:
    for module in modules:
        importlib.import_module(module)


class DeferredFeed:
    """The feed ``opener`` makes, made the first time its days or a day are asked for."""

    def __init__(self, name: str, opener: Callable[[], Feed], modules: Sequence[str] = ()) -> None:
        self._name = name
        self._opener = opener
        self._modules = tuple(modules)
        """Imported in a thread before ``opener`` runs on the event loop (it then costs a fraction of a millisecond)."""
        self._feed: Feed | None = None
        self._imports: asyncio.Future[None] | None = None
        self._closed = False

    @property
    def name(self) -> str:
        return self._name

    @property
    def is_open(self) -> bool:
        """Whether the real feed has been made."""
        return self._feed is not None

    async def opened(self) -> Feed:
        """The real feed, made now if it was not yet (errors of making it are raised, and tried again next time)."""
        if self._feed is None:
            if self._imports is None or (self._imports.done() and self._imports.exception() is not None):
                self._imports = asyncio.ensure_future(asyncio.to_thread(_import_all, self._modules))
            # Shielded: a cancelled listing must not cancel the imports another caller waits for.
            await asyncio.shield(self._imports)
            if self._closed:
                raise FeedError(f"{self._name}: closed")
            if self._feed is None:
                self._feed = self._opener()
        return self._feed

    async def days(self) -> Sequence[date]:
        return await (await self.opened()).days()

    async def load(self, day: date, *, refresh: bool = False, progress: Progress | None = None) -> DayLoad:
        return await (await self.opened()).load(day, refresh=refresh, progress=progress)

    async def aclose(self) -> None:
        self._closed = True
        feed, self._feed = self._feed, None
        if feed is not None:
            await feed.aclose()

    def __getattr__(self, name: str) -> Any:
        # Only names not found on this class arrive here: the real feed's, once it is open.
        feed = self.__dict__.get("_feed")
        if feed is None or name.startswith("__"):
            raise AttributeError(name)
        return getattr(feed, name)
