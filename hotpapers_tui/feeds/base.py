"""The feed interface: a source of days that can list them and load one."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from hotpapers_tui.model import Day

Progress = Callable[[str], None]
"""Receives short human-readable progress lines while a day loads."""


class FeedError(Exception):
    """A feed could not list or load a day; the message is meant for the user."""


@dataclass(frozen=True, slots=True)
class DayLoad:
    """A loaded day and how fresh it is."""

    day: Day
    """The day itself."""
    stale: bool = False
    """True when the network failed and a cached copy is shown instead."""
    fetched_at: datetime | None = None
    """When the data was fetched (None for local files)."""
    note: str = ""
    """A message for the user about this load (offline, partial sources), or empty."""


class Feed(Protocol):
    """Anything that lists days and loads one: a folder, the sample, the archive, live sources.

    A feed whose loads are costly (the live feed builds each day from several sources
    under arXiv's pacing) sets a class attribute ``prefetch = False`` so the reader does
    not load neighbouring days ahead of need; see :func:`wants_prefetch`. Such a feed
    may also name the days that load cheaply (:func:`days_at_hand`), load one of them
    without building (:func:`load_at_hand`) and stamp it (:func:`day_stamp`). A feed whose
    days have gaps worth explaining says what lies between two of them (:func:`step_note`)
    and why a date is not one of its days (:func:`why_no_day`).
    """

    @property
    def name(self) -> str:
        """The feed's name as the user typed it (``sample``, ``dir:posts``)."""
        ...

    async def days(self) -> Sequence[date]:
        """The days the feed has, oldest first."""
        ...

    async def load(self, day: date, *, refresh: bool = False, progress: Progress | None = None) -> DayLoad:
        """One day; ``refresh`` ignores cached freshness. Raises FeedError."""
        ...

    async def aclose(self) -> None:
        """Release connections and files."""
        ...


def nearest_on_or_before(days: Sequence[date], wanted: date) -> date | None:
    """The latest of ``days`` (sorted oldest first) that is not after ``wanted``."""
    best: date | None = None
    for d in days:
        if d <= wanted:
            best = d
        else:
            break
    return best


def wants_prefetch(feed: object) -> bool:
    """Whether loading a feed's neighbouring days ahead of need is cheap enough to do."""
    return bool(getattr(feed, "prefetch", True))


async def export_ready(feed: object, day: Day) -> Day:
    """``day`` as it should be written to a post: a feed may improve it first.

    The live feed swaps its X posts for Twitter's own embed HTML (oEmbed) through an
    optional ``for_export`` method; other feeds write days as they are.
    """
    prepare = getattr(feed, "for_export", None)
    if prepare is None:
        return day
    ready: Day = await prepare(day)
    return ready


async def days_at_hand(feed: Feed) -> Sequence[date]:
    """The days a pass over a whole feed (the search index) should load, oldest first.

    Every day, unless the feed names fewer through an optional ``days_at_hand`` method:
    the live feed lists every listing day since 2023 but can only afford to load those
    it has built and kept; the others would each cost a build.
    """
    at_hand = getattr(feed, "days_at_hand", None)
    if at_hand is None:
        return await feed.days()
    days: Sequence[date] = await at_hand()
    return days


async def load_at_hand(feed: Feed, day: date) -> DayLoad:
    """One of the days :func:`days_at_hand` names, loaded without building anything.

    A feed that names its days at hand may also say how to load one of them without the
    cost the others carry (an optional ``load_at_hand`` method): the live feed shows the
    day it kept, as it was built, where ``load`` would build it again once it is old. A
    day not at hand raises FeedError. Other feeds load the day as ``load`` does.
    """
    at_hand = getattr(feed, "load_at_hand", None)
    if at_hand is None:
        return await feed.load(day)
    loaded: DayLoad = await at_hand(day)
    return loaded


def day_stamp(feed: object, day: date) -> str:
    """A cheap token that changes when a day at hand changes (an optional ``day_stamp`` method), else "".

    Without one a day is taken never to change once read: a remote post is cached for good.
    The live feed stamps the days it keeps, which ``R`` may build again.
    """
    stamp = getattr(feed, "day_stamp", None)
    if stamp is None:
        return ""
    token: str = stamp(day)
    return token


def why_no_day(feed: object, day: date) -> str | None:
    """Why a feed has no day ``day``, when the feed can say (an optional ``why_no_day`` method), else None.

    The live feed and the timeline know arXiv's calendar: a Saturday, an evening arXiv
    skipped (and which listing holds that day's papers), a day before the live days start.
    """
    explain = getattr(feed, "why_no_day", None)
    if explain is None:
        return None
    why: str | None = explain(day)
    return why


def jump_note(feed: object, shown: date, target: date) -> str | None:
    """What a jump between two days that are not neighbours crosses, when the feed says (an optional
    ``jump_note`` method): the timeline's gap, when the jump lands on its far side; None otherwise."""
    describe = getattr(feed, "jump_note", None)
    if describe is None:
        return None
    note: str | None = describe(shown, target)
    return note


def step_note(feed: object, shown: date, target: date) -> str | None:
    """What lies between two neighbouring days of a feed, when the feed says (an optional ``step_note`` method).

    The timeline joins the archive (to 2022-01-13) and the live days (from 2023-05-04):
    stepping between the two crosses more than a year with no day at all, and the user
    is told so rather than left to wonder.
    """
    describe = getattr(feed, "step_note", None)
    if describe is None:
        return None
    note: str | None = describe(shown, target)
    return note
