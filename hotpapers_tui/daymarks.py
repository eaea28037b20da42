"""The reader's read and star marks without the screen: each day's marks kept in memory, the store written in order.

The reader asks :class:`DayMarks` for the marks of the day it shows; a day seen before
costs no query. A mark the user sets changes the kept marks at once (the row is redrawn
in the same frame) and is written by a single background thread, in the order the user
set them, so the UI thread never waits for SQLite's commit. Nothing here imports Textual.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import TypeVar

from hotpapers_tui.library.marks import Marks, MarkSet

T = TypeVar("T")

KEPT_DAYS = 64
"""How many days' marks are kept in memory."""


@dataclass(frozen=True, slots=True)
class Change:
    """A change of marks the user made, shown at once and written to the store in the background."""

    ids: frozenset[str]
    read: bool | None = None
    """The new read mark, or None when it is not changed."""
    starred: bool | None = None
    """The new star, or None when it is not changed."""

    def applied(self, marks: MarkSet) -> MarkSet:
        """``marks`` with this change made."""
        read, starred = marks.read, marks.starred
        if self.read is not None:
            read = read | self.ids if self.read else read - self.ids
        if self.starred is not None:
            starred = starred | self.ids if self.starred else starred - self.ids
        return MarkSet(read, starred)


class DayMarks:
    """The marks of the days the reader has shown, and the one thread that talks to the marks store.

    Marks read from the store, whenever the read ran, are shown with the user's changes
    not yet written laid over them, so a read that ran before a write never undoes a mark
    the user sees.
    """

    def __init__(self, marks: Marks, *, capacity: int = KEPT_DAYS) -> None:
        self.marks = marks
        """The store."""
        self.capacity = capacity
        """How many days' marks are kept."""
        self._days: OrderedDict[str, tuple[frozenset[str], MarkSet]] = OrderedDict()
        self._pending: list[Change] = []
        self._store = ThreadPoolExecutor(max_workers=1, thread_name_prefix="hotpapers-marks")
        self._closed = False

    # -- the marks of a day ------------------------------------------------------

    def lookup(self, key: str, ids: Iterable[str]) -> MarkSet:
        """The marks of the papers ``ids`` of the day ``key``: kept, else read from the store (blocks; MarksError)."""
        wanted = frozenset(ids)
        kept = self._days.get(key)
        if kept is not None and kept[0] == wanted:
            self._days.move_to_end(key)
            return kept[1]
        return self.keep(key, wanted, self.marks.marks_for(wanted))

    def keep(self, key: str, ids: Iterable[str], marks: MarkSet) -> MarkSet:
        """Keep ``marks``, read from the store, as the day ``key``'s; returns them with the pending changes made."""
        for change in self._pending:
            marks = change.applied(marks)
        self._days[key] = (frozenset(ids), marks)
        self._days.move_to_end(key)
        while len(self._days) > self.capacity:
            self._days.popitem(last=False)
        return marks

    def forget(self) -> None:
        """Drop every kept day: the store was changed by another program."""
        self._days.clear()

    # -- the user's changes --------------------------------------------------------

    def change(
        self,
        ids: Sequence[str],
        job: Callable[[Marks], object],
        *,
        read: bool | None = None,
        starred: bool | None = None,
    ) -> tuple[Change, Future[object]]:
        """Show a change at once in every kept day, and write it with ``job`` after the jobs before it.

        Call :meth:`written` with the change once the returned future is done.
        """
        change = Change(frozenset(ids), read, starred)
        self._pending.append(change)
        for key, (day_ids, marks) in self._days.items():
            if change.ids & day_ids:
                self._days[key] = (day_ids, change.applied(marks))
        return change, self.submit(job)

    def written(self, change: Change) -> None:
        """The store has ``change`` (or failed to take it): reads no longer need it laid over them."""
        if change in self._pending:
            self._pending.remove(change)

    @property
    def pending(self) -> int:
        """How many changes are not written yet."""
        return len(self._pending)

    def submit(self, job: Callable[[Marks], T]) -> Future[T]:
        """Run ``job`` on the store in the background, after every job submitted before it."""
        return self._store.submit(job, self.marks)

    def close(self) -> None:
        """Finish the writes still queued, then close the store."""
        if self._closed:
            return
        self._closed = True
        self._store.shutdown(wait=True)
        self.marks.close()
